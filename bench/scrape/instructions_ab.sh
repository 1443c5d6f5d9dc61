#!/usr/bin/env bash
# Instructions per scraped sample of daemon binaries side by side, counted by
# valgrind's callgrind: the A/B for a CPU change too small for cpu_ab.sh to
# see through this shared machine's noise (its task-clock figures of one
# binary differ by 20-30% from round to round; the instructions a sample of
# one binary and farm by 1-3%, with what falls in the window: chunks sealed,
# WAL records begun). Alternate the binaries (A B A B ...). It counts the daemon's own
# instructions (user space) on the scrape scheduler and worker threads only,
# not the kernel's work for it (system calls, page faults): pair it with
# `perf stat -e page-faults,task-clock` when a change moves that.
#
#   bench/scrape/instructions_ab.sh OLD/metrics-collector NEW/metrics-collector [...]
#
# One target farm; each binary in turn starts from an empty store under
# callgrind, scrapes through a warm-up (the first scrapes create every
# series), then its counters are zeroed and it scrapes for the window.
# Under callgrind a daemon runs 20-50 times slower: the farm's default of
# 50 targets x 1,000 series every 10 s keeps it well inside its interval.
#
# Samples are the daemon's samples_appended_total over the window: the pages'
# samples and the 5 a scrape adds about itself.
#
# Knobs (environment): FARM=50x1000 (targets x series), INTERVAL=10 (s),
# WARMUP=30, WINDOW=40 (s), BASE_PORT=24000, FARM_BIN= (default
# build/bench/target_farm), PAGE=, KEEP= (a directory: each run's callgrind
# profile is kept there as N.callgrind, for callgrind_annotate).
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=bench/scrape/farm_common.sh
. "$repo/bench/scrape/farm_common.sh"
farm_bin=${FARM_BIN:-$repo/build/bench/target_farm}
page=${PAGE:-$repo/../shared/data/node_exporter-1.5.0-page.prom}
farm=${FARM:-50x1000}
interval=${INTERVAL:-10}
warmup=${WARMUP:-30}
window=${WINDOW:-40}
base_port=${BASE_PORT:-24000}
listen=127.0.0.1:$((base_port - 10))
targets=${farm%x*} series=${farm#*x}
command -v valgrind >/dev/null || { echo "instructions_ab.sh: valgrind is not installed" >&2; exit 1; }
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

echo "binary instructions samples instructions_per_sample"
for binary in "$@"; do
  rm -rf "$work/data" "$work"/callgrind.out*
  # The scheduler thread and the workers: the scrapes, their parsing and the
  # head's commits. Start-up, the compactor and the HTTP server stay out.
  valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
    --toggle-collect='mc::ScrapeScheduler::Impl::run()' --toggle-collect='mc::WorkerPool::run()' \
    "$binary" --config.file="$work/scrape.yml" --web.listen-address="$listen" --log.level=warn \
    --storage.path="$work/data" >"$work/daemon.log" 2>&1 &
  daemon_pid=$!
  for _ in $(seq 300); do curl -sf -o /dev/null "http://$listen/-/ready" && break; sleep 0.2; done
  sleep "$warmup"
  samples0=$(daemon_samples_appended "$listen")
  callgrind_control -z "$daemon_pid" >/dev/null 2>&1
  sleep "$window"
  samples1=$(daemon_samples_appended "$listen")
  kill -INT "$daemon_pid"
  wait "$daemon_pid" 2>/dev/null
  daemon_pid=
  run=$((${run:-0} + 1))
  [ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp "$work/callgrind.out" "$KEEP/$run.callgrind"
  instructions=$(callgrind_annotate "$work/callgrind.out" 2>/dev/null |
    awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
  awk -v b="$binary" -v i="$instructions" -v s0="$samples0" -v s1="$samples1" 'BEGIN {
    samples = s1 - s0
    printf "%s %s %d %.0f\n", b, i, samples, (samples > 0 ? i / samples : 0) }'
done
