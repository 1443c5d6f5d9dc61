#!/usr/bin/env bash
# Query latency of metrics-collector beside Prometheus 2.42 and VictoriaMetrics
# on the same data in the same run (issue 12, "How fast"): a dashboard-like
# query set over 1 h, 24 h and 7 d at step = range/1000 (>= 15 s), median of
# REPS repetitions per query, ratio to Prometheus where the answers are
# identical, peak RSS of each server. See bench/query/README.md.
#
# Usage: bench/query/compare.sh [BUILD_DIR] [query_bench.py flags...]
#   BUILD_DIR  where metrics-collector was built (default: build)
#   e.g. --reps 5 --ranges 1h,24h,7d --servers ours,prometheus,vm --jobs 2 --instances 3
#   --port-base 25000: servers listen on 127.0.0.1:25000, 25001, ... (default: free ports)
# Environment: MC_QUERY_BENCH_DIR work dir (default /tmp/mc-query-bench); the
# dataset and the loaded Prometheus/VictoriaMetrics stores are kept there and
# reused the same day. The report: $MC_QUERY_BENCH_DIR/bench/last-run.md (.json).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=build
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then build_dir=$1; shift; fi
case "${1:-}" in -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
case "$build_dir" in /*) ;; *) build_dir=$repo/$build_dir ;; esac
for tool in prometheus promtool victoria-metrics; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool is not installed (apt-get install prometheus victoria-metrics)" >&2; exit 2; }
done
work=${MC_QUERY_BENCH_DIR:-/tmp/mc-query-bench}/bench
mkdir -p "$work"
exec timeout 3600 /usr/bin/python3 "$repo/bench/query/query_bench.py" --work "$work" \
  --ours "$build_dir/metrics-collector" "$@"
