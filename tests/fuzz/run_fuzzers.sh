#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for a fixed time each, then
# prints per target the executions, the coverage reached (cov: edges, ft:
# features) and whether it crashed.
#
#   tests/fuzz/run_fuzzers.sh <fuzz build dir> <seconds per target> [target...]
#
# Seeds: tests/fuzz/corpus/<target> and tests/fuzz/regressions/<target>, and
# the OpenMetrics conformance suite in ../shared when it is there. What the
# fuzzer adds goes to <build dir>/fuzz-corpus/<target> (kept between runs,
# never committed); a crash's input to <build dir>/fuzz-crashes/. To make a
# crash a regression test, copy its input to tests/fuzz/regressions/<target>/.
# Exit status: 1 when any target crashed, else 0.
set -uo pipefail
cd "$(dirname "$0")/../.."

build_dir=${1:?usage: run_fuzzers.sh <fuzz build dir> <seconds> [target...]}
seconds=${2:?usage: run_fuzzers.sh <fuzz build dir> <seconds> [target...]}
shift 2
if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for binary in "$build_dir"/tests/fuzz/fuzz_*; do
    targets+=("$(basename "$binary" | sed 's/^fuzz_//')")
  done
fi

shared_dir=${MC_SHARED_DIR:-../shared}
crash_dir="$build_dir/fuzz-crashes"
log_dir="$build_dir/fuzz-logs"
mkdir -p "$crash_dir" "$log_dir"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

failed=()
summary=()
for target in "${targets[@]}"; do
  binary="$build_dir/tests/fuzz/fuzz_$target"
  corpus="$build_dir/fuzz-corpus/$target"
  mkdir -p "$corpus"
  seeds=()
  for dir in "tests/fuzz/corpus/$target" "tests/fuzz/regressions/$target"; do
    [ -d "$dir" ] && seeds+=("$dir")
  done
  if [ "$target" = exposition_parser ] && [ -d "$shared_dir/conformance/openmetrics/parsers" ]; then
    seeds+=("$shared_dir/conformance/openmetrics/parsers")
  fi
  log="$log_dir/$target.log"
  echo "fuzz: $target for ${seconds}s" >&2
  # -timeout: an input running 10 s is a hang, reported as a crash. The outer
  # timeout bounds the whole run should libFuzzer itself get stuck.
  timeout --kill-after=30 $((seconds + 120)) "$binary" "$corpus" "${seeds[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$crash_dir/$target-" >"$log" 2>&1
  status=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  coverage=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)
  line=$(printf '%-22s %12s execs  %-24s' "$target" "${executions:-?}" "${coverage:-cov: ?}")
  if [ $status -ne 0 ]; then
    failed+=("$target")
    line="$line  FAILED (exit $status; see $log)"
    grep -E 'ERROR: |runtime error|SUMMARY|Test unit written' "$log" | head -5 >&2
  fi
  summary+=("$line")
done

echo
echo "fuzz summary (${seconds}s per target):"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]}; inputs in $crash_dir" >&2
  exit 1
fi
