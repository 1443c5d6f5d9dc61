#!/usr/bin/env bash
# A/B of two render_bench binaries on a shared machine: one process each,
# alternating, ROUNDS rounds, then the median of each benchmark's
# ns_per_series (CPU time per exposed series) over the rounds.
#
# Usage: bench/render/ab.sh OLD_BINARY NEW_BINARY 'FILTER' [ROUNDS=5]
#   e.g. bench/render/ab.sh /tmp/render_bench.main build/bench/render_bench 'Streamed(Text|UncachedText)/391' 5
#   MIN_TIME=1   --benchmark_min_time of each run (seconds)
set -euo pipefail
[ $# -ge 3 ] || { sed -n 2,9p "$0" >&2; exit 2; }
old=$1 new=$2 filter=$3 rounds=${4:-5}
for binary in "$old" "$new"; do [ -x "$binary" ] || { echo "$binary: not executable" >&2; exit 2; }; done
runs=$(mktemp)
trap 'rm -f "$runs"' EXIT
for round in $(seq "$rounds"); do
  for side in old new; do
    binary=$old
    [ "$side" = new ] && binary=$new
    "$binary" --benchmark_filter="$filter" --benchmark_min_time="${MIN_TIME:-1}" \
      --benchmark_format=csv 2>/dev/null |
      awk -F, -v side="$side" '
        NR == 1 { for (i = 1; i <= NF; i++) { column[i] = $i; gsub(/"/, "", column[i]) } next }
        $1 ~ /BM_/ { for (i = 1; i <= NF; i++) {
                       if (column[i] == "ns_per_series") ns = $i * 1e9
                       if (column[i] == "body_bytes") body = $i }
                     name = $1; gsub(/"/, "", name); print name, side, ns, body }' >>"$runs"
  done
done
python3 - "$runs" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, side, ns, body = line.split()
    runs.setdefault((name, side), []).append((float(ns), float(body)))
for (name, side), values in sorted(runs.items(), key=lambda item: (item[0][0], item[0][1] != "old")):
    times = [ns for ns, _ in values]
    print(f"{name:34} {side:3}  median {statistics.median(times):7.0f} ns/series  "
          f"body {values[-1][1]:10.0f} B  runs {[round(t) for t in times]}")
PY
