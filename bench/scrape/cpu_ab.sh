#!/usr/bin/env bash
# CPU per scraped sample of daemon binaries side by side (an A/B of a CPU
# change): one target farm, then each binary in turn, in rounds (A B A B ...),
# scrapes it from an empty store; `perf stat -e task-clock` on the daemon over
# a window after the warm-up. Prints one line per binary and round, then the
# median per binary. Compare binaries within one run only (the machine is shared).
#
#   bench/scrape/cpu_ab.sh OLD/metrics-collector NEW/metrics-collector [...]
#
# Knobs (environment): FARM=50x1000 (targets x series), INTERVAL=10 (s),
# WARMUP=25, WINDOW=30 (s), ROUNDS=3, BASE_PORT=24000, MC_FLAGS= (extra daemon
# flags, word-split), FARM_BIN= (default build/bench/target_farm), PAGE=.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=bench/scrape/farm_common.sh
. "$repo/bench/scrape/farm_common.sh"
farm_bin=${FARM_BIN:-$repo/build/bench/target_farm}
page=${PAGE:-$repo/../shared/data/node_exporter-1.5.0-page.prom}
farm=${FARM:-50x1000}
interval=${INTERVAL:-10}
warmup=${WARMUP:-25}
window=${WINDOW:-30}
rounds=${ROUNDS:-3}
base_port=${BASE_PORT:-24000}
listen=127.0.0.1:$((base_port - 10))
targets=${farm%x*} series=${farm#*x}
work=$(mktemp -d)
farm_pid=
daemon_pid=
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  [ -n "$farm_pid" ] && kill "$farm_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_farm "$farm_bin" "$targets" "$series" "$base_port" "$page" "$work/farm.log"
write_farm_scrape_config "$work/scrape.yml" "$targets" "$base_port" "$interval"

appended() { daemon_samples_appended "$listen"; }
farm_requests() {
  curl -sf --max-time 5 "http://127.0.0.1:$base_port/-/stats" | awk '$1 == "requests" { print $2 }'
}

echo "round binary task_clock_ms samples scrapes ns_per_sample ms_per_scrape load1" >"$work/results"
for ((round = 1; round <= rounds; round++)); do
  for binary in "$@"; do
    rm -rf "$work/data"
    # shellcheck disable=SC2086  # MC_FLAGS is a list of flags
    "$binary" --config.file="$work/scrape.yml" --web.listen-address="$listen" --log.level=warn \
      --storage.path="$work/data" ${MC_FLAGS:-} >"$work/daemon.log" 2>&1 &
    daemon_pid=$!
    for _ in $(seq 100); do curl -sf -o /dev/null "http://$listen/-/ready" && break; sleep 0.1; done
    sleep "$warmup"
    samples0=$(appended) scrapes0=$(farm_requests)
    perf stat -x, -e task-clock -p "$daemon_pid" -o "$work/perf" -- sleep "$window" 2>/dev/null
    samples1=$(appended) scrapes1=$(farm_requests)
    load=$(cut -d' ' -f1 /proc/loadavg)
    kill "$daemon_pid"
    wait "$daemon_pid" 2>/dev/null
    daemon_pid=
    task_ms=$(awk -F, '$3 == "task-clock" || $3 ~ /^task-clock/ { printf "%.1f", $1 }' "$work/perf")
    awk -v r="$round" -v b="$binary" -v t="$task_ms" -v s0="$samples0" -v s1="$samples1" \
      -v c0="$scrapes0" -v c1="$scrapes1" -v load="$load" 'BEGIN {
        scrapes = c1 - c0; samples = s1 - s0 - 5 * scrapes
        printf "%d %s %s %d %d %.0f %.3f %s\n", r, b, t, samples, scrapes,
          (samples > 0 ? t * 1e6 / samples : 0), (scrapes > 0 ? t / scrapes : 0), load }' |
      tee -a "$work/results"
  done
done
echo "median per binary (ns per sample, ms per scrape, load):"
for binary in "$@"; do
  awk -v b="$binary" '$2 == b { print $6, $7, $8 }' "$work/results" | sort -n |
    awk -v b="$binary" '{ ns[NR] = $1; ms[NR] = $2; ld[NR] = $3 }
      END { m = int((NR + 1) / 2); printf "%s: %s ns/sample, %s ms/scrape (loads", b, ns[m], ms[m]
            for (i = 1; i <= NR; i++) printf " %s", ld[i]; print ")" }'
done
