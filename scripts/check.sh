#!/bin/bash
# make check: every test suite, then one closing line "N passed, N failed".
#   unit tests and corpus replays in the normal build, the same under ASan+UBSan (clang),
#   then the namespace tests (pytest, as root).
set -u
build=${1:-build}
asan=${2:-build-asan}
top=$(cd "$(dirname "$0")/.." && pwd)
passed=0
failed=0
skipped=0

count_meson() { # $1 = build dir, $2 = label
	local log
	log=$(mktemp)
	echo "== $2"
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
		meson test -C "$1" --print-errorlogs 2>&1 | tee "$log" | grep -E '^ *[0-9]+/[0-9]+ |^(Ok|Fail|Skipped|Timeout|Expected Fail|Unexpected Pass):'
	local ok fail timeout skip
	ok=$(awk '/^Ok:/{print $2}' "$log")
	fail=$(awk '/^Fail:/{print $2}' "$log")
	timeout=$(awk '/^Timeout:/{print $2}' "$log")
	skip=$(awk '/^Skipped:/{print $2}' "$log")
	if [ -z "$ok" ]; then
		echo "meson test did not run in $1"
		failed=$((failed + 1))
	fi
	passed=$((passed + ${ok:-0}))
	failed=$((failed + ${fail:-0} + ${timeout:-0}))
	skipped=$((skipped + ${skip:-0}))
	rm -f "$log"
}

count_meson "$build" "unit tests and fuzz corpora ($build)"
count_meson "$asan" "unit tests and fuzz corpora under ASan+UBSan ($asan)"

echo "== namespace tests (tests/net, tests/lab)"
log=$(mktemp)
if [ "$(id -u)" -ne 0 ]; then
	echo "namespace tests need root: run make check as root"
	failed=$((failed + 1))
else
	# Strict: a missing peer program is a failure here, never a skip.
	TERN_BUILD="$top/$build" TERN_NET_STRICT=1 /usr/bin/python3 -m pytest -q -rfE -p no:cacheprovider \
		"$top/tests/net" "$top/tests/lab" 2>&1 | tee "$log"
	summary=$(grep -aE '^(=+ )?[0-9]+ (passed|failed|skipped|error)' "$log" | tail -n 1)
	p=$(echo "$summary" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
	f=$(echo "$summary" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
	e=$(echo "$summary" | grep -oE '[0-9]+ errors?' | grep -oE '[0-9]+')
	s=$(echo "$summary" | grep -oE '[0-9]+ skipped' | grep -oE '[0-9]+')
	if [ -z "$summary" ]; then
		echo "pytest did not report a result"
		failed=$((failed + 1))
	fi
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0} + ${e:-0}))
	skipped=$((skipped + ${s:-0}))
fi
rm -f "$log"

echo "== benchmark harness, tiny run (issue 8): 1,000 prefixes through Tern, checked"
if /usr/bin/python3 "$top/bench/run.py" --check --daemon tern -n 1000 --build "$build"; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi

echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
