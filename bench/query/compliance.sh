#!/usr/bin/env bash
# The full PromQL compliance run (issue 12): tests/compliance/promql_compliance.py
# in its full form (971 expanded queries, each as 5 range and 5 instant queries;
# 4 h of data, 9 targets) against the real Prometheus 2.42 on the same data.
# The short form of it runs in make test.
#
# Usage: bench/query/compliance.sh [BUILD_DIR] [--tested ours|vm|prometheus]
#   BUILD_DIR  where metrics-collector was built (default: build)
#   --tested   ours (default); vm or prometheus check the harness itself
#              (a second Prometheus must agree on every query)
# Environment: MC_QUERY_BENCH_DIR work dir (default /tmp/mc-query-bench).
# Writes $MC_QUERY_BENCH_DIR/compliance-TESTED/report.json and report.txt
# (passed/total and every differing query with both answers).
# Exit: 0 all agree, 1 some differ, 2 broken run, 77 Prometheus or the API absent.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=build
tested=ours
while [ $# -gt 0 ]; do
  case "$1" in
    --tested) tested=${2:?--tested needs a value}; shift ;;
    --tested=*) tested=${1#--tested=} ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "compliance.sh: unknown flag $1" >&2; exit 2 ;;
    *) build_dir=$1 ;;
  esac
  shift
done
case "$build_dir" in /*) ;; *) build_dir=$repo/$build_dir ;; esac
work=${MC_QUERY_BENCH_DIR:-/tmp/mc-query-bench}/compliance-$tested
mkdir -p "$work"
exec timeout 1800 /usr/bin/python3 "$repo/tests/compliance/promql_compliance.py" run --form full \
  --work "$work" --tested "$tested" --ours "$build_dir/metrics-collector" --out "$work/report.json" --budget 1500
