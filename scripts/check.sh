#!/bin/bash
# make check: every test suite, then one closing line "N passed, N failed, N skipped".
#   unit tests and corpus replays in the normal build, the same under ASan+UBSan (clang),
#   then the namespace tests (pytest, as root), then a subset of them with ternd built under
#   ASan+UBSan, then the differential check's small form against the pre-refactor build,
#   then the benchmark harness's tiny run.
#
# Every suite's own verdict counts, not only its count of failures: a suite that exits
# non-zero (pytest's LEFT BEHIND check, a crash of the runner, no tests collected) adds a
# failure even when its summary counts none. An unexpected pass (XPASS) is a failure; skips
# and expected failures are not passes: they are counted as skipped and listed with their
# reasons. The exit status is non-zero when anything failed.
set -u
build=${1:-build}
asan=${2:-build-asan}
top=$(cd "$(dirname "$0")/.." && pwd)
passed=0
failed=0
skipped=0
problems=()

# $1 = summary text, $2 = word ("passed", "failed", ...): the number before it, or 0
count_of() {
	local n
	n=$(echo "$1" | grep -oE "[0-9]+ $2\\b" | head -n 1 | grep -oE '^[0-9]+')
	echo "${n:-0}"
}

# $1 = meson test's log, $2 = a label of its closing summary ("Ok", "Expected Fail", ...)
meson_count() {
	awk -F: -v k="$2" '$1 == k { gsub(/[ \t]/, "", $2); print $2 }' "$1"
}

count_meson() { # $1 = build dir, $2 = label
	local log rc
	log=$(mktemp)
	echo "== $2"
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
		meson test -C "$1" --print-errorlogs >"$log" 2>&1
	rc=$?
	grep -E '^ *[0-9]+/[0-9]+ |^(Ok|Fail|Skipped|Timeout|Expected Fail|Unexpected Pass):' "$log"
	local ok fail timeout skip xfail xpass
	ok=$(meson_count "$log" 'Ok')
	fail=$(meson_count "$log" 'Fail')
	timeout=$(meson_count "$log" 'Timeout')
	skip=$(meson_count "$log" 'Skipped')
	xfail=$(meson_count "$log" 'Expected Fail')
	xpass=$(meson_count "$log" 'Unexpected Pass')
	if [ "$rc" -ne 0 ]; then
		# the failing tests' logs (--print-errorlogs), or whatever stopped meson
		grep -vE '^ *[0-9]+/[0-9]+ ' "$log" | tail -n 200
	fi
	if [ -z "$ok" ]; then
		problems+=("meson test did not run in $1 (exit status $rc)")
		failed=$((failed + 1))
	fi
	passed=$((passed + ${ok:-0}))
	failed=$((failed + ${fail:-0} + ${timeout:-0} + ${xpass:-0}))
	skipped=$((skipped + ${skip:-0} + ${xfail:-0}))
	[ "${fail:-0}" -eq 0 ] || problems+=("$2: ${fail} failed")
	[ "${timeout:-0}" -eq 0 ] || problems+=("$2: ${timeout} timed out")
	[ "${xpass:-0}" -eq 0 ] || problems+=("$2: ${xpass} passed unexpectedly")
	if [ "$rc" -ne 0 ] && [ -n "$ok" ] && [ $((${fail:-0} + ${timeout:-0} + ${xpass:-0})) -eq 0 ]; then
		problems+=("$2: meson test exited with status $rc but counted no failure")
		failed=$((failed + 1))
	fi
	rm -f "$log"
}

count_meson "$build" "unit tests and fuzz corpora ($build)"
count_meson "$asan" "unit tests and fuzz corpora under ASan+UBSan ($asan)"

# $1 = label of a step that makes network namespaces: true if root, else one failure
is_root() {
	[ "$(id -u)" -eq 0 ] && return 0
	problems+=("$1: needs root: run make check as root")
	failed=$((failed + 1))
	return 1
}

# $1 = label, $2 = build dir (TERN_BUILD), the rest = test files or directories for pytest
count_pytest() {
	local label=$1 dir=$2 log rc summary p f e s xf xp
	shift 2
	echo "== $label"
	is_root "$label" || return
	log=$(mktemp)
	# Strict: a missing peer program is a failure here, never a skip. -rfEsxX: every failure,
	# error, skip, xfail and xpass with its reason in the short summary; an XPASS of a test
	# marked xfail fails it (xfail_strict).
	TERN_BUILD="$top/$dir" TERN_NET_STRICT=1 /usr/bin/python3 -m pytest -q -rfEsxX \
		-o xfail_strict=true -p no:cacheprovider "$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	# pytest's last line: "[== ]1 failed, 3 passed, 1 skipped, 1 xfailed, 1 xpassed, 2 errors in 9.1s[ ==]"
	summary=$(grep -aE '^(=+ )?([0-9]+ [a-z]+(, )?)+ in [0-9.]+s' "$log" | tail -n 1)
	p=$(count_of "$summary" passed)
	f=$(count_of "$summary" failed)
	e=$(count_of "$summary" 'errors?')
	s=$(count_of "$summary" skipped)
	xf=$(count_of "$summary" xfailed)
	xp=$(count_of "$summary" xpassed)
	if [ -z "$summary" ]; then
		problems+=("$label: pytest did not report a result (exit status $rc)")
		failed=$((failed + 1))
	fi
	passed=$((passed + p))
	failed=$((failed + f + e + xp))
	skipped=$((skipped + s + xf))
	[ "$f" -eq 0 ] || problems+=("$label: $f failed")
	[ "$e" -eq 0 ] || problems+=("$label: $e errors")
	[ "$xp" -eq 0 ] || problems+=("$label: $xp passed unexpectedly (XPASS)")
	[ $((s + xf)) -eq 0 ] || problems+=("$label: $s skipped, $xf xfailed (reasons above, SKIPPED/XFAIL)")
	if [ "$rc" -ne 0 ] && [ -n "$summary" ] && [ $((f + e + xp)) -eq 0 ]; then
		# the session-end LEFT BEHIND check of tests/net/conftest.py, or pytest's own trouble
		if grep -aq 'LEFT BEHIND' "$log"; then
			problems+=("$label: the run LEFT BEHIND namespaces, veths or processes")
		else
			problems+=("$label: pytest exited with status $rc but counted no failure")
		fi
		failed=$((failed + 1))
	fi
	rm -f "$log"
}

count_pytest "namespace tests (tests/net, tests/lab)" "$build" "$top/tests/net" "$top/tests/lab"

# ternd itself under ASan+UBSan (issue 12): sessions, routes, bad input, shutdown, collisions
# and the shell. netlab.sanitizer_env sends each report to the test's log directory, and a
# report fails the test with its text. ternc from build-asan reports on its stderr (its exit
# status fails the test); tests/net/lsan.supp says which leaks are libedit's, not ours.
LSAN_OPTIONS="suppressions=$top/tests/net/lsan.supp" count_pytest "namespace tests with ternd under ASan+UBSan ($asan)" "$asan" $(grep -v '^#' "$top/tests/net/asan_subset.txt" | sed "s|^|$top/|")

echo "== differential check against the pre-refactor build, small form (issue 12, tests/diff)"
if is_root "differential check"; then
	log=$(mktemp)
	/usr/bin/python3 "$top/tests/diff/diffcheck.py" --small --head-build "$top/$build" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	# its last line: "diffcheck: N passed, N failed, N skipped", one count per scenario
	summary=$(grep -aE '^diffcheck: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -n 1)
	p=$(count_of "$summary" passed)
	f=$(count_of "$summary" failed)
	s=$(count_of "$summary" skipped)
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	if [ -z "$summary" ]; then
		problems+=("differential check: no result (exit status $rc; the reference build or a crash, see above)")
		failed=$((failed + 1))
	elif [ "$f" -ne 0 ]; then
		problems+=("differential check: $f scenarios differ from the pre-refactor build or could not run")
	elif [ "$rc" -ne 0 ]; then
		problems+=("differential check: exited with status $rc but counted no failure")
		failed=$((failed + 1))
	fi
	rm -f "$log"
fi

echo "== benchmark harness, tiny run (issue 8): 1,000 prefixes through Tern, checked"
if /usr/bin/python3 "$top/bench/run.py" --check --daemon tern -n 1000 --build "$build"; then
	passed=$((passed + 1))
else
	problems+=("benchmark harness: the tiny run failed")
	failed=$((failed + 1))
fi

echo
for m in "${problems[@]}"; do
	echo "check: $m"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
