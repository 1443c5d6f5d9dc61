#!/usr/bin/env bash
# RSS of daemon binaries side by side (an A/B of a memory change): each binary
# in turn scrapes the same target farm (50 targets x 1,000 node_exporter-like
# series, every 1 s) for 45 s from an empty store; prints VmRSS and VmHWM.
#
#   bench/scrape/rss_ab.sh OLD/metrics-collector NEW/metrics-collector [...]
#
# Alternate the binaries (A B A B) to see the noise. Needs the farm built
# (build/bench/target_farm; FARM= to point elsewhere) and ../shared/data.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
farm=${FARM:-$repo/build/bench/target_farm}
page=${PAGE:-$repo/../shared/data/node_exporter-1.5.0-page.prom}
base_port=${BASE_PORT:-23000}
work=$(mktemp -d)
trap 'kill $farm_pid 2>/dev/null; rm -rf "$work"' EXIT
"$farm" --targets=50 --series=1000 --base-port="$base_port" --page="$page" > "$work/farm.log" 2>&1 &
farm_pid=$!
sleep 1
targets=$(for i in $(seq 0 49); do printf '"127.0.0.1:%d",' $((base_port + i)); done)
printf 'global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: farm\n    static_configs:\n      - targets: [%s]\n' \
  "${targets%,}" > "$work/config.yml"
for binary in "$@"; do
  rm -rf "$work/data"
  "$binary" --config.file="$work/config.yml" --web.listen-address=127.0.0.1:0 \
    --storage.path="$work/data" > "$work/daemon.log" 2>&1 &
  pid=$!
  sleep 45
  echo "$binary: $(grep -E 'VmRSS|VmHWM' /proc/$pid/status | tr -s ' \t' ' ' | tr '\n' ' ')"
  kill $pid
  wait $pid 2>/dev/null
done
