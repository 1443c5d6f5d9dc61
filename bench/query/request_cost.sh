#!/usr/bin/env bash
# request_cost.sh: one query's fixed cost in the daemon, per request: CPU
# (utime + stime of the daemon from /proc) and wall time of N kept-alive
# requests sent by one curl, after N warm-up requests. Alternate binaries
# to compare them (A B A B ...).
#
#   bench/query/request_cost.sh BINARY [N=3000] [QUERY] [RANGE_SECONDS=3600] [STEP=15]
#
# Needs the store compare.sh loaded (MC_QUERY_BENCH_DIR, default
# bench/query/results, its bench/metrics-collector/); the query's range ends at
# the data's end, as compare.sh's do. Listens on 127.0.0.1:25900.
set -euo pipefail
bin=$(realpath "$1")  # the daemon runs in the store's directory
n=${2:-3000}
query=${3:-'sum by (job) (mc_queue_length)'}
range=${4:-3600}
step=${5:-15}
repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=${MC_QUERY_BENCH_DIR:-$repo/bench/query/results}/bench/metrics-collector
[ -d "$dir/mc-store" ] || { echo "no store in $dir: run bench/query/compare.sh first" >&2; exit 2; }
# The data's last sample, as the dataset's generator wrote it.
end=$(python3 -c "import json, math; print(math.floor(json.load(open('$dir/../dataset/bench.json'))['end']))")
end=$(( end / step * step ))
start=$(( end - range ))
cd "$dir"
"$bin" --config.file=metrics-collector.yml --storage.path=mc-store \
  --web.listen-address=127.0.0.1:25900 --log.level=warn >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:25900/-/ready >/dev/null && break; sleep 0.1; done
config=$(mktemp)
for i in $(seq "$n"); do
  [ "$i" -gt 1 ] && echo next
  echo 'url = "http://127.0.0.1:25900/api/v1/query_range"'
  echo "data-urlencode = \"query=$query\""
  echo "data = \"start=$start&end=$end&step=$step\""
  echo "output = /dev/null"
done >"$config"
curl -s -K "$config" >/dev/null
ticks=$(getconf CLK_TCK)
a=$(date +%s%N)
c0=$(awk '{print $14 + $15}' /proc/$pid/stat)
curl -s -K "$config" >/dev/null
b=$(date +%s%N)
c1=$(awk '{print $14 + $15}' /proc/$pid/stat)
rm -f "$config"
echo "$(basename "$bin"): wall $(( (b - a) / n / 1000 )) us/request, daemon cpu $(( (c1 - c0) * 1000000 / ticks / n )) us/request ($query, ${range}s at ${step}s)"
