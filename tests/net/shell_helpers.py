"""Helpers for the shell tests: `ternc` at a pseudo-terminal, read back as a screen.

  PtyShell(tern)        starts `ternc -s SOCK` on a new pseudo-terminal (its controlling
                        terminal, 200 columns, TERM=xterm or $TERN_PTY_TERM), registered with
                        the lab so cleanup kills it. type(text) sends keys one at a time as a person types;
                        line(text) types a line and Enter and waits for the next prompt;
                        expect(regex) waits until the screen matches; screen() is the screen
                        as lines (carriage returns, backspaces and line clears applied).
  Screen                the minimal terminal PtyShell reads through.
  ternc_run(tern, *cmds, sock=None, stdin=None)
                        `ternc -s SOCK -c CMD...` (or a script on stdin), returns the
                        CompletedProcess.
  running_config(tern)  `show running-config` without the "Building configuration..." header.
  kernel_addrs(ns, dev) the addresses on dev, "A/LEN" strings, from `ip -j addr`.
  caret_under(stderr, word)
                        asserts stderr holds an echoed line with a caret under `word`.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time

import netlab


class Screen:
    """Just enough of a terminal for libedit on TERM=dumb or xterm: printable characters
    overwrite, CR, LF, BS, BEL, and the common CSI sequences (cursor moves, erase line and
    screen); others are dropped."""

    def __init__(self, width=200):
        self.width = width
        self.lines = [[]]
        self.row = 0
        self.col = 0
        self._esc = None

    def _line(self):
        while len(self.lines) <= self.row:
            self.lines.append([])
        return self.lines[self.row]

    def feed(self, data: str):
        for ch in data:
            if self._esc is not None:
                self._esc += ch
                if self._esc == "[" or (self._esc.startswith("[") and not ch.isalpha()):
                    continue
                self._csi(self._esc)
                self._esc = None
                continue
            if ch == "\x1b":
                self._esc = ""
            elif ch == "\r":
                self.col = 0
            elif ch == "\n":
                self.row += 1
                self._line()
            elif ch == "\b":
                self.col = max(0, self.col - 1)
            elif ch == "\x07":
                pass
            elif ch >= " ":
                line = self._line()
                while len(line) < self.col:
                    line.append(" ")
                if self.col < len(line):
                    line[self.col] = ch
                else:
                    line.append(ch)
                self.col += 1

    def _csi(self, seq):
        if not seq.startswith("["):
            return
        cmd, args = seq[-1], seq[1:-1]
        n = int(args) if args.isdigit() else 1
        if cmd == "K":
            del self._line()[self.col:]
        elif cmd == "C":
            self.col += n
        elif cmd == "D":
            self.col = max(0, self.col - n)
        elif cmd == "A":
            self.row = max(0, self.row - n)
        elif cmd == "B":
            self.row += n
        elif cmd == "G":
            self.col = n - 1
        elif cmd == "J":
            del self._line()[self.col:]
            del self.lines[self.row + 1:]

    def before_cursor(self):
        """The cursor's line up to the cursor, blanks included."""
        line = self.lines[self.row] if self.row < len(self.lines) else []
        return "".join(line[:self.col]).ljust(self.col)

    def text_lines(self):
        return ["".join(line).rstrip() for line in self.lines]


class PtyShell:
    def __init__(self, tern, sock=None, timeout=10.0):
        self.tern = tern
        self.timeout = timeout
        self.raw = b""
        self.screen_ = Screen()
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
        env = {"TERM": os.environ.get("TERN_PTY_TERM", "xterm"), "HOME": "/nonexistent", "PATH": os.environ.get("PATH", "")}
        # a ternc from build-asan keeps the sanitizer options of the run (check.sh's suppressions)
        env.update({k: v for k, v in os.environ.items() if k.endswith("SAN_OPTIONS")})

        def controlling_terminal():
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        self.proc = subprocess.Popen(
            [str(netlab.ternc_path()), "-s", str(sock or tern.sock)],
            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
            preexec_fn=controlling_terminal)
        os.close(slave)
        self.master = master
        tern.ns.lab.add_finalizer(self.close)
        tern.ns.lab.add_finalizer(self._save_transcript)

    # -- reading
    def _pump(self, wait):
        r, _, _ = select.select([self.master], [], [], wait)
        if not r:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the shell is gone
            return False
        if not data:
            return False
        self.raw += data
        self.screen_.feed(data.decode("utf-8", errors="replace"))
        return True

    def drain(self, quiet=0.2):
        """Reads until nothing more comes for `quiet` seconds."""
        while self._pump(quiet):
            pass

    def screen(self):
        return self.screen_.text_lines()

    def text(self):
        return "\n".join(self.screen())

    def expect(self, pattern, timeout=None, since=0):
        """Waits until the screen (from line `since` on) matches the regex; returns the match."""
        deadline = time.monotonic() + (timeout or self.timeout)
        rx = re.compile(pattern, re.M)
        while True:
            m = rx.search("\n".join(self.screen()[since:]))
            if m:
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"screen never matched {pattern!r}; screen:\n{self.text()}")
            self._pump(min(left, 0.1))

    def expect_cursor(self, text, timeout=None):
        """Waits until the cursor's line, up to the cursor, is exactly `text` (so a trailing
        blank counts: Tab completion adds one)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while self.screen_.before_cursor() != text:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"cursor line is {self.screen_.before_cursor()!r}, "
                                     f"not {text!r}; screen:\n{self.text()}\nlast bytes: {self.raw[-300:]!r}")
            self._pump(min(left, 0.1))

    # -- typing
    def type(self, text, delay=0.005):
        """Sends the keys one at a time, as a person types."""
        for ch in text:
            os.write(self.master, ch.encode())
            time.sleep(delay)
            self._pump(0)

    def mark(self):
        """The current screen line: expect(..., since=mark) looks only at what came after."""
        return len(self.screen()) - 1

    def line(self, text, prompt=r"^\S+[#>]$"):
        """Types text and Enter, then waits for the next prompt (a line holding only a prompt).
        Returns the lines the command printed (between the typed line and the new prompt)."""
        start = self.mark()
        self.type(text + "\r")
        self.expect(prompt, since=start + 1)
        self.drain(0.1)
        lines = self.screen()[start:]
        return lines[1:-1]

    def prompt(self):
        """The prompt on the last screen line (everything up to the first # or >)."""
        last = self.screen()[-1]
        m = re.match(r"^(\S+?[#>])", last)
        return m.group(1) if m else last

    def wait_exit(self, timeout=5):
        try:
            return self.proc.wait(timeout)
        finally:
            self.drain(0.05)

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(5)
        try:
            os.close(self.master)
        except OSError:
            pass

    def _save_transcript(self):
        try:
            self.tern.ns.lab.write(f"{self.tern.name}-pty.screen", self.text() + "\n")
        except Exception:  # noqa: BLE001
            pass


def ternc_run(tern, *cmds, sock=None, stdin=None, timeout=10):
    argv = [str(netlab.ternc_path()), "-s", str(sock or tern.sock)]
    for c in cmds:
        argv += ["-c", c]
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=timeout)


def running_config(tern):
    out = tern.ternc("show", "running-config").stdout
    return out.split("Current configuration:\n!\n", 1)[-1]


def kernel_addrs(ns, dev):
    r = ns.ip("-j", "addr", "show", "dev", dev)
    data = json.loads(r.stdout)
    return {f"{a['local']}/{a['prefixlen']}" for link in data for a in link.get("addr_info", [])}


def link_up(ns, dev):
    data = json.loads(ns.ip("-j", "link", "show", "dev", dev).stdout)
    return "UP" in data[0]["flags"]


def caret_under(text, word, prompt_rx=r"\S+[#>]"):
    """The error output echoes `PROMPT LINE`, then a caret line: the caret is under the first
    character of `word` in the echoed line. Returns the caret column."""
    lines = text.splitlines()
    for i, line in enumerate(lines[:-1]):
        nxt = lines[i + 1]
        if re.match(prompt_rx, line) and nxt.strip() == "^":
            col = nxt.index("^")
            assert line[col:col + len(word)] == word, (
                f"caret at {col} is under {line[col:col + len(word)]!r}, not {word!r}:\n{text}")
            return col
    raise AssertionError(f"no echoed line with a caret under it:\n{text}")
