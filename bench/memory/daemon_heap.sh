#!/usr/bin/env bash
# daemon_heap: where a running daemon's resident memory goes, beside the heap
# bytes series_bytes counts (issue 14: the farm's peak RSS per series was
# ~170 B above series_bytes' heap per series, unexplained).
#
# Starts the target farm (K targets x M series, bench/scrape/target_farm) and
# one daemon scraping it (store on, in a temporary directory), waits until the
# farm has served S scrapes of every target, then reads the daemon without
# stopping it for long:
#   - /proc/PID/status: VmHWM, VmRSS, RssAnon, RssFile, threads;
#   - malloc_info(3), called inside the daemon through gdb: per arena the bytes
#     malloc took from the system and the free bytes it holds, and the
#     mmapped chunks (large blocks, e.g. body buffers over the mmap threshold);
#   - the farm's page size (one GET), from which the scrape body buffers
#     follow (one per target, kept at the page's size between scrapes).
#
#   bench/memory/daemon_heap.sh [BUILD=build] (env: TARGETS=10 SERIES=10000
#     INTERVAL=10 SCRAPES=13 BASE_PORT=24000 LISTEN=127.0.0.1:24990 OUT=dir)
#
# Prints a summary; OUT keeps malloc_info.xml, status and the daemon's log.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$repo/build}
TARGETS=${TARGETS:-10}
SERIES=${SERIES:-10000}
INTERVAL=${INTERVAL:-10}
SCRAPES=${SCRAPES:-13}
BASE_PORT=${BASE_PORT:-24000}
LISTEN=${LISTEN:-127.0.0.1:24990}
PAGE=${PAGE:-$repo/../shared/data/node_exporter-1.5.0-page.prom}
MC_FLAGS=${MC_FLAGS:-}
work=$(mktemp -d /tmp/daemon_heap.XXXXXX)
OUT=${OUT:-$work/out}
mkdir -p "$OUT"
farm_pid='' daemon_pid=''
cleanup() {
  [ -z "$daemon_pid" ] || { kill "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; }
  [ -z "$farm_pid" ] || { kill "$farm_pid" 2>/dev/null || true; wait "$farm_pid" 2>/dev/null || true; }
  rm -rf "$work/data"
}
trap cleanup EXIT

"$BUILD/bench/target_farm" --targets="$TARGETS" --series="$SERIES" --base-port="$BASE_PORT" \
  --page="$PAGE" >"$OUT/farm.log" 2>&1 &
farm_pid=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$BASE_PORT/-/stats" && break; sleep 0.1; done
page_bytes=$(curl -sf "http://127.0.0.1:$BASE_PORT/metrics" | wc -c)
{
  printf 'global:\n  scrape_interval: %ss\n  scrape_timeout: %ss\nscrape_configs:\n  - job_name: farm\n    static_configs:\n      - targets:\n' "$INTERVAL" "$INTERVAL"
  for ((i = 0; i < TARGETS; i++)); do echo "          - 127.0.0.1:$((BASE_PORT + i))"; done
} >"$work/scrape.yml"
# shellcheck disable=SC2086  # MC_FLAGS is a list of flags
"$BUILD/metrics-collector" --config.file="$work/scrape.yml" --web.listen-address="$LISTEN" \
  --log.level=warn --storage.path="$work/data" $MC_FLAGS >"$OUT/daemon.log" 2>&1 &
daemon_pid=$!
served() { curl -sf --max-time 5 "http://127.0.0.1:$BASE_PORT/-/stats" | awk '$1 == "requests" { print $2 }'; }
want=$((TARGETS * SCRAPES + 1))  # +1: the page size GET above
deadline=$(($(date +%s) + INTERVAL * (SCRAPES + 4) + 120))
while [ "$(served)" -lt "$want" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { echo "daemon_heap: only $(served) scrapes by the deadline" >&2; exit 1; }
  kill -0 "$daemon_pid" || { echo "daemon_heap: the daemon exited; its log:" >&2; tail "$OUT/daemon.log" >&2; exit 1; }
  sleep 1
done
sleep 2  # the last scrapes' processing
grep -E '^(VmHWM|VmRSS|RssAnon|RssFile|RssShmem|Threads):' "/proc/$daemon_pid/status" >"$OUT/status"
# shellcheck disable=SC2016  # $1 is gdb's value history (the FILE* fopen returned)
gdb -p "$daemon_pid" -batch -ex "call (void*)fopen(\"$OUT/malloc_info.xml\", \"w\")" \
  -ex 'call (int)malloc_info(0, $1)' -ex 'call (int)fclose($1)' >"$OUT/gdb.log" 2>&1
series=$((TARGETS * (SERIES + 5)))
python3 - "$OUT" "$series" "$page_bytes" "$TARGETS" <<'PY'
import re, sys, xml.etree.ElementTree as ET
out, series, page, targets = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
status = {}
for line in open(f"{out}/status"):
    key, value = line.split(":", 1)
    status[key] = int(value.split()[0]) * (1024 if "kB" in value else 1)
root = ET.parse(f"{out}/malloc_info.xml").getroot()
def per(b): return b / series
print(f"daemon: {series} series ({targets} targets), page {page} B a target")
for key in ("VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem"):
    print(f"  {key:8} {status[key] / 1e6:9.1f} MB  {per(status[key]):7.1f} B/series")
print(f"  threads  {status['Threads']}")
arenas = root.findall("heap")
total_system = total_free = 0
print("malloc arenas: system bytes (current), free bytes held (fast + rest)")
for heap in arenas:
    system = sum(int(s.get("size")) for s in heap.findall("system") if s.get("type") == "current")
    free = sum(int(t.get("size")) for t in heap.findall("total") if t.get("type") in ("fast", "rest"))
    total_system += system
    total_free += free
    print(f"  arena {heap.get('nr'):>2}: {system / 1e6:8.1f} MB system, {free / 1e6:7.1f} MB free"
          f" ({per(system):6.1f} / {per(free):6.1f} B/series)")
mmap = [t for t in root.findall("total") if t.get("type") == "mmap"]
mmap_bytes = int(mmap[0].get("size")) if mmap else 0
mmap_count = int(mmap[0].get("count")) if mmap else 0
in_use = total_system - total_free + mmap_bytes
print(f"heap in use (arenas' system - free + mmapped): {in_use / 1e6:.1f} MB, {per(in_use):.1f} B/series")
print(f"  of which mmapped chunks: {mmap_count}, {mmap_bytes / 1e6:.1f} MB, {per(mmap_bytes):.1f} B/series")
print(f"free bytes malloc holds: {total_free / 1e6:.1f} MB, {per(total_free):.1f} B/series")
print(f"body buffers (one page a target): {targets * page / 1e6:.1f} MB, {per(targets * page):.1f} B/series")
rest = status["RssAnon"] - in_use - total_free
print(f"RssAnon - heap in use - free held (stacks, libraries' data, untouched): {rest / 1e6:.1f} MB, {per(rest):.1f} B/series")
PY
