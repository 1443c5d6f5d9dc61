#!/bin/sh
# The daemon's resident memory with 10,000 file_sd targets against none: one
# daemon per run, a file_sd file of 10,000 targets (addresses on 127.0.0.2
# whose ports nobody listens on, so a scrape fails at once; scrape_interval
# 1h, so about 3 scrapes a second spread over the hour), VmRSS read from
# /proc once metrics_collector_targets reports them all and 20 s more have
# passed.
#
# Run: bench/discovery/rss.sh build/metrics-collector    (prints one line per run)
set -eu
binary=${1:-build/metrics-collector}
runs=${RUNS:-3}
port=${PORT:-19391}

measure() {
  targets=$1
  dir=$(mktemp -d)
  python3 - "$targets" > "$dir/targets.json" <<'PY'
import json, sys
n = int(sys.argv[1])
print(json.dumps([{"targets": ["127.0.0.2:%d" % (20000 + i)
                               for i in range(g * 100, min(n, g * 100 + 100))],
                   "labels": {"rack": "r%d" % g}} for g in range((n + 99) // 100)]))
PY
  cat > "$dir/config.yml" <<YML
scrape_configs:
  - job_name: fleet
    scrape_interval: 1h
    scrape_timeout: 1s
    file_sd_configs:
      - files: [targets.json]
YML
  "$binary" --config.file="$dir/config.yml" --storage.path="$dir/data" \
    --web.listen-address=127.0.0.1:$port > "$dir/log" 2>&1 &
  pid=$!
  i=0
  until curl -fs "http://127.0.0.1:$port/metrics" 2>/dev/null |
      grep -q "^metrics_collector_targets{job=\"fleet\"} $targets\$"; do
    i=$((i + 1))
    if [ $i -gt 600 ]; then echo "targets not synced" >&2; kill $pid; exit 1; fi
    sleep 0.1
  done
  sleep 20
  rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status)
  kill $pid
  wait $pid || true
  rm -rf "$dir"
  echo "targets=$targets rss_kib=$rss"
}

for run in $(seq "$runs"); do
  measure 0
  measure 10000
done
