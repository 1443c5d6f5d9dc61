#!/usr/bin/env bash
# Runs every Google Benchmark in bench/ with 5 repetitions and prints the
# medians. Usage: bench/run.sh [build-dir]   (make bench runs it on build/)
# The benchmarks read ../shared/data; without it they report an error and skip.
set -euo pipefail
build_dir=${1:-build}
for bench in "$build_dir"/bench/*_bench; do
  echo "== $(basename "$bench")"
  "$bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true 2>/dev/null |
    grep -E '^(Benchmark|BM_.*_median)'
done
