"""pytest glue for the namespace tests: fixtures, skips, cleanup and failure logs.

Fixtures:
  lab         a netlab.Lab for one test (namespaces, processes, logs), always cleaned up
  module_lab  the same, shared by a module's tests
  need        need("ternd", "bird", "frr", ...) skips the test when a program is missing
              (fails instead when TERN_NET_STRICT=1, meant for CI)
Run as root with Debian's python: `sudo /usr/bin/python3 -m pytest tests/net`.
"""

import atexit
import os
import shutil
import signal
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import netlab  # noqa: E402

STRICT = netlab.STRICT


def pytest_configure(config):
    if os.geteuid() != 0:
        raise pytest.UsageError("tests/net needs root (network namespaces)")
    removed = netlab.sweep_stale()
    if removed:
        print(f"netlab: removed {len(removed)} stale namespaces of dead runs", file=sys.stderr)
    netlab.RUN_DIR.mkdir(parents=True, exist_ok=True)
    atexit.register(netlab.cleanup_all)

    def on_signal(signum, frame):
        netlab.cleanup_all()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)


def pytest_sessionfinish(session, exitstatus):
    netlab.cleanup_all()
    left = netlab.leftovers()
    if left:
        print("\nnetlab: LEFT BEHIND:\n  " + "\n  ".join(left), file=sys.stderr)
        session.exitstatus = 1
    # the logs are for reading a failure: a run that passed leaves nothing in /tmp
    if session.exitstatus == 0:
        shutil.rmtree(netlab.RUN_DIR, ignore_errors=True)
    else:
        print(f"\nnetlab: the logs of this run are kept in {netlab.RUN_DIR}", file=sys.stderr)


def pytest_report_header(config):
    return [f"netlab: run {netlab.RUN_PREFIX}*, logs in {netlab.RUN_DIR}, "
            f"TERN_BUILD={netlab.TERN_BUILD}"]


def _check_needed(names):
    miss = netlab.missing(*names)
    if miss:
        netlab.unavailable("missing: " + ", ".join(miss))


@pytest.fixture
def need():
    return lambda *names: _check_needed(names)


def _teardown(lab):
    errors = lab.cleanup()
    if errors:
        pytest.fail("cleanup found problems:\n  " + "\n  ".join(errors), pytrace=False)


@pytest.fixture
def lab(request):
    lab = netlab.Lab(request.node.nodeid)
    request.node._netlab = lab
    yield lab
    _teardown(lab)


@pytest.fixture(scope="module")
def module_lab(request):
    lab = netlab.Lab(request.node.nodeid)
    request.node._netlab = lab
    yield lab
    _teardown(lab)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.failed:
        labs = []
        node = item
        while node is not None:
            lab = getattr(node, "_netlab", None)
            if lab is not None:
                labs.append(lab)
            node = node.parent
        for lab in labs:
            try:
                rep.sections.append((f"netlab logs ({rep.when})", lab.logs()))
            except Exception as e:  # noqa: BLE001
                rep.sections.append(("netlab logs", f"could not read logs: {e!r}"))
