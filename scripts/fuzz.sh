#!/bin/bash
# make fuzz [SECONDS=N]: runs every libFuzzer target of tests/fuzz for N seconds each.
#   scripts/fuzz.sh BUILD_DIR SECONDS
# Each target starts from its committed seed corpus (tests/fuzz/corpus/NAME, read only) and
# keeps the new inputs it finds in BUILD_DIR/corpus-new/NAME (under the build directory, so
# never committed by accident; kept across runs, so each run goes on from the last). A crash,
# a sanitizer report, a leak or a timeout is written to BUILD_DIR/findings/NAME/ and makes
# the exit status non-zero.
set -u
build=${1:-build-fuzz}
secs=${2:-60}
top=$(cd "$(dirname "$0")/.." && pwd)
case "$secs" in
'' | *[!0-9]*) echo "fuzz: SECONDS must be a whole number of seconds, not '$secs'" >&2; exit 2 ;;
esac

targets=()
for src in "$top"/tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	t=${t#fuzz_}
	if [ ! -x "$build/tests/fuzz/fuzz_$t" ]; then
		echo "fuzz: $build/tests/fuzz/fuzz_$t was not built (is $t in tests/fuzz/meson.build's" \
			"list, and $build set up with CC=clang -Dfuzzing=true?)" >&2
		exit 2
	fi
	targets+=("$t")
done

crashed=()
for t in "${targets[@]}"; do
	new="$build/corpus-new/$t"
	findings="$build/findings/$t"
	seeds="$top/tests/fuzz/corpus/$t"
	mkdir -p "$new" "$findings"
	before=$(find "$findings" -type f | wc -l)
	log="$build/findings/$t.log"
	echo "== fuzz_$t: ${secs} s, seeds $seeds, new inputs $new"
	# The first corpus directory is the one libFuzzer writes to; the seeds are only read.
	# -timeout: an input that takes 10 s is a finding (a loop), not a slow run.
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 \
		-artifact_prefix="$findings/" -print_final_stats=1 \
		"$new" $( [ -d "$seeds" ] && echo "$seeds" ) >"$log" 2>&1
	rc=$?
	after=$(find "$findings" -type f | wc -l)
	runs=$(awk '/stat::number_of_executed_units:/{print $2}' "$log")
	echo "   $(find "$new" -type f | wc -l) inputs in $new, ${runs:-?} runs, exit status $rc"
	if [ "$rc" -ne 0 ] || [ "$after" -gt "$before" ]; then
		grep -aE 'ERROR|SUMMARY|==[0-9]+==|Test unit written' "$log" | head -n 20
		echo "   FOUND: see $findings/ and $log"
		crashed+=("$t")
	fi
done

echo
if [ "${#crashed[@]}" -gt 0 ]; then
	echo "fuzz: ${#crashed[@]} of ${#targets[@]} targets found a crash: ${crashed[*]}"
	echo "fuzz: reproduce with $build/tests/fuzz/fuzz_NAME FILE; a fixed input belongs in" \
		"tests/fuzz/corpus/NAME so that make check replays it"
	exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${secs} s each, no crash"
