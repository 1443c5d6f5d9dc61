#!/usr/bin/env bash
# Bytes per sample of our block store beside Prometheus's TSDB and
# VictoriaMetrics's, on the same datasets in the same run (issue 4):
#   real       /work/shared/data/real-1s.om.zst (1,394 series, 1,254,600 samples)
#   synthetic  bench/store/make_synthetic.py, fixed seed (39,800 series, 4,776,000 samples)
#
# Usage: bench/store/compare.sh [BUILD_DIR] [--peers-only] [--datasets real,synthetic]
#   BUILD_DIR      where metrics-collector was built (default: build)
#   --peers-only   measure Prometheus and VictoriaMetrics only
#   --datasets     which datasets (default: real,synthetic)
# Environment: MC_STORE_BENCH_DIR work dir (default /tmp/mc-store-bench); the
# prepared datasets are cached there between runs.
#
# Every store is handed the same samples; bytes/sample divides each store's
# bytes on disk by the dataset's sample count (lines that are not comments), so
# the columns compare like for like even where a store keeps fewer samples
# (VictoriaMetrics drops NaN values). Sizes are the sum of the files' sizes:
#   Prometheus       data = blocks' chunks/*, index = blocks' index files
#   VictoriaMetrics  data = data/**, index = indexdb/** (its caches in cache/ are not counted)
#   metrics-collector data_bytes and index_bytes of `metrics-collector store stats`
# `du -b` would add 4 KiB per directory; it is printed beside for VictoriaMetrics.
# Runs as root on Debian 12; installs what is missing with apt.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=build
peers_only=0
datasets=real,synthetic
while [ $# -gt 0 ]; do
  case "$1" in
    --peers-only) peers_only=1 ;;
    --datasets) datasets=${2:?--datasets needs a value}; shift ;;
    --datasets=*) datasets=${1#--datasets=} ;;
    -h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "compare.sh: unknown flag $1" >&2; exit 2 ;;
    *) build_dir=$1 ;;
  esac
  shift
done
case "$build_dir" in /*) ;; *) build_dir=$repo/$build_dir ;; esac
work=${MC_STORE_BENCH_DIR:-/tmp/mc-store-bench}
real_source=${MC_STORE_BENCH_REAL:-$repo/../shared/data/real-1s.om.zst}
# Debian's interpreter, whatever else is first on PATH.
python=/usr/bin/python3

log() { echo "compare.sh: $*" >&2; }
now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
file_bytes() { find "$@" -type f -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
per_sample() { awk -v b="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.3f", b / n; else print "-" }'; }

# --- dependencies ------------------------------------------------------------
install_missing() {
  local missing=() p
  for p in prometheus victoria-metrics zstd python3 curl; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# --- datasets ----------------------------------------------------------------
# Each dataset NAME leaves in $work/datasets: NAME.om (OpenMetrics, as every
# store but VictoriaMetrics reads it), NAME.vm.prom (the same samples in the
# import API's format), NAME.facts (samples, nan, last timestamp), and
# NAME.stamp, which says what they were made from; they are made again only
# when the stamp changes.
dataset_dir=$work/datasets

prepare_real() {
  [ -f "$real_source" ] || { log "real dataset not found: $real_source"; return 1; }
  local stamp
  stamp="$(stat -c '%s %Y' "$real_source") $(sha256sum "$repo/bench/store/openmetrics_to_vm_import.py" | cut -c1-16)"
  if [ "$(cat "$dataset_dir/real.stamp" 2>/dev/null)" = "$stamp" ]; then return 0; fi
  log "preparing real: decompressing $real_source"
  rm -f "$dataset_dir/real.stamp"
  timeout 600 zstd -q -d -f "$real_source" -o "$dataset_dir/real.om" || return 1
  finish_dataset real || return 1
  echo "$stamp" >"$dataset_dir/real.stamp"
}

prepare_synthetic() {
  local stamp
  stamp="$(sha256sum "$repo/bench/store/make_synthetic.py" "$repo/bench/store/openmetrics_to_vm_import.py" |
    cut -c1-16 | tr '\n' ' ')"
  if [ "$(cat "$dataset_dir/synthetic.stamp" 2>/dev/null)" = "$stamp" ]; then return 0; fi
  log "preparing synthetic: bench/store/make_synthetic.py"
  rm -f "$dataset_dir/synthetic.stamp"
  local started
  started=$(now)
  timeout 900 "$python" "$repo/bench/store/make_synthetic.py" "$dataset_dir/synthetic.om" |
    tee "$dataset_dir/synthetic.generator" || return 1
  log "synthetic generated in $(seconds_since "$started") s"
  finish_dataset synthetic || return 1
  echo "$stamp" >"$dataset_dir/synthetic.stamp"
}

finish_dataset() {
  local name=$1 om=$dataset_dir/$1.om counted converted
  counted=$(grep -c -v '^#' "$om" || true)
  converted=$(timeout 900 "$python" "$repo/bench/store/openmetrics_to_vm_import.py" "$om" "$dataset_dir/$name.vm.prom") ||
    return 1
  # "samples N nan N"
  local written nan last
  written=$(awk '{ print $2 }' <<<"$converted")
  nan=$(awk '{ print $4 }' <<<"$converted")
  if [ "$written" != "$counted" ]; then
    log "$name: converter wrote $written samples, the file has $counted"
    return 1
  fi
  # Lines come in time order, so the last sample has the newest timestamp.
  last=$(grep -v '^#' "$om" | tail -n 1 | awk '{ print int($NF) + 1 }')
  printf 'samples %s\nnan %s\nlast_second %s\n' "$counted" "$nan" "$last" >"$dataset_dir/$name.facts"
}

fact() { awk -v k="$2" '$1 == k { print $2 }' "$dataset_dir/$1.facts"; }

# --- results -----------------------------------------------------------------
# One row per store and dataset: name|samples kept|data bytes|index bytes|seconds|note
declare -A rows=()
add_row() { rows[$1]+="$2|$3|$4|$5|$6|$7"$'\n'; }

# --- Prometheus --------------------------------------------------------------
measure_prometheus() {
  local name=$1 out=$work/prometheus/$1 started seconds
  rm -rf "$out"
  mkdir -p "$out"
  # promtool 2.42 has no block-duration flag: it writes 2 h blocks aligned to
  # the epoch, and each dataset fits in one (the real one by luck, the
  # synthetic one by construction). The block count is reported, and the
  # samples of all meta.json files are summed to check that every sample landed.
  started=$(now)
  if ! timeout 1800 promtool tsdb create-blocks-from openmetrics --quiet "$dataset_dir/$name.om" "$out" \
    >"$work/prometheus/$name.log" 2>&1; then
    log "prometheus: promtool failed on $name (see $work/prometheus/$name.log)"
    tail -n 5 "$work/prometheus/$name.log" >&2
    add_row "$name" "Prometheus $(promtool --version 2>&1 | awk 'NR == 1 { print $3 }') TSDB" - 0 0 - "promtool failed"
    return 0
  fi
  seconds=$(seconds_since "$started")
  local blocks data index kept
  blocks=$(find "$out" -mindepth 2 -maxdepth 2 -name meta.json | wc -l)
  data=$(file_bytes "$out"/*/chunks)
  index=$(file_bytes "$out"/*/index)
  kept=$(cat "$out"/*/meta.json | "$python" -c '
import json, sys
text = sys.stdin.read()
decoder, position, total = json.JSONDecoder(), 0, 0
while position < len(text):
    while position < len(text) and text[position].isspace():
        position += 1
    if position >= len(text):
        break
    meta, position = decoder.raw_decode(text, position)
    total += meta["stats"]["numSamples"]
print(total)')
  add_row "$name" "Prometheus $(promtool --version 2>&1 | awk 'NR == 1 { print $3 }') TSDB" \
    "$kept" "$data" "$index" "$seconds" "$blocks block(s); promtool create-blocks-from openmetrics"
}

# --- VictoriaMetrics ---------------------------------------------------------
vm_pid=
stop_vm() {
  [ -n "$vm_pid" ] || return 0
  kill -INT "$vm_pid" 2>/dev/null || true
  for _ in $(seq 1 120); do
    kill -0 "$vm_pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$vm_pid" 2>/dev/null; then
    log "victoria-metrics did not stop within 60 s; killing it"
    kill -KILL "$vm_pid" 2>/dev/null || true
  fi
  wait "$vm_pid" 2>/dev/null || true
  vm_pid=
}
trap stop_vm EXIT

vm_metric() { # sum of the metric's series (name with optional {labels} prefix)
  curl -sS --max-time 10 "http://127.0.0.1:$vm_port/metrics" |
    awk -v want="$1" 'index($1, want) == 1 { s += $2 } END { printf "%d\n", s }'
}

wait_until() { # SECONDS DESCRIPTION COMMAND...: poll every 0.5 s until COMMAND succeeds
  local limit=$1 what=$2 deadline
  shift 2
  deadline=$(($(date +%s) + limit))
  until "$@"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "victoria-metrics: timed out after ${limit} s waiting for $what"
      return 1
    fi
    sleep 0.5
  done
}

vm_healthy() { curl -sf --max-time 2 "http://127.0.0.1:$vm_port/health" >/dev/null; }

vm_searchable_samples() {
  curl -sS --max-time 120 "http://127.0.0.1:$vm_port/api/v1/query" \
    --data-urlencode 'query=sum(count_over_time({__name__=~".+"}[30d]))' \
    --data-urlencode "time=$(fact "$1" last_second)" |
    "$python" -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)'
}

vm_all_searchable() { # DATASET: flushed, and a query counts every stored row
  curl -sf --max-time 30 "http://127.0.0.1:$vm_port/internal/force_flush" >/dev/null || return 1
  [ "$(vm_metric 'vm_pending_rows{type="storage"}')" = 0 ] || return 1
  vm_stored=$(vm_metric 'vm_rows{type="storage/')
  vm_searchable=$(vm_searchable_samples "$1")
  [ "$vm_searchable" = "$vm_stored" ] && [ "$vm_stored" -gt 0 ]
}

vm_merges_done_polls=0
vm_merges_done() { # three quiet polls in a row
  local active
  active=$(($(vm_metric 'vm_active_merges{') + $(vm_metric 'vm_active_force_merges')))
  if [ "$active" -eq 0 ]; then vm_merges_done_polls=$((vm_merges_done_polls + 1)); else vm_merges_done_polls=0; fi
  [ "$vm_merges_done_polls" -ge 3 ]
}

measure_victoria_metrics() {
  local name=$1 dir=$work/victoria-metrics/$1 started seconds label
  # Debian's build prints an empty -version; the package knows it.
  label="VictoriaMetrics $(dpkg-query -W -f='${Version}' victoria-metrics 2>/dev/null | cut -d. -f1,2)"
  rm -rf "$dir"
  mkdir -p "$dir"
  vm_port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # Loopback only, no self-scrape, no caches kept between queries, quiet log.
  victoria-metrics -storageDataPath "$dir/storage" -httpListenAddr "127.0.0.1:$vm_port" \
    -retentionPeriod=100y -loggerLevel=WARN -search.disableCache -selfScrapeInterval=0 \
    >"$dir/victoria-metrics.log" 2>&1 &
  vm_pid=$!
  if ! wait_until 30 "/health" vm_healthy; then
    stop_vm
    add_row "$name" "$label" - 0 0 - "did not start (see $dir/victoria-metrics.log)"
    return 0
  fi
  started=$(now)
  local status
  status=$(curl -sS --max-time 1800 -X POST -T "$dataset_dir/$name.vm.prom" \
    -w '%{http_code}' -o "$dir/import.response" "http://127.0.0.1:$vm_port/api/v1/import/prometheus") || true
  if [ "$status" != 204 ]; then
    log "victoria-metrics: import of $name answered HTTP $status: $(head -c 300 "$dir/import.response")"
    stop_vm
    add_row "$name" "$label" - 0 0 - "import failed: HTTP $status"
    return 0
  fi
  # The import answers once every row is parsed and handed to the storage;
  # making them searchable (flush) and checking it by query is timed apart.
  seconds=$(seconds_since "$started")
  started=$(now)
  vm_stored=0 vm_searchable=0
  local note=
  wait_until 300 "all samples searchable" vm_all_searchable "$name" || note="NOT ALL SEARCHABLE; "
  note+="flushed and counted by query in $(seconds_since "$started") s; "
  local received
  received=$(vm_metric 'vm_rows_inserted_total{type="prometheus"}')
  started=$(now)
  curl -sf --max-time 600 "http://127.0.0.1:$vm_port/internal/force_merge" >/dev/null ||
    note+="FORCE_MERGE FAILED; "
  sleep 1
  vm_merges_done_polls=0
  wait_until 900 "merges to finish" vm_merges_done || note+="MERGES STILL RUNNING; "
  note+="merged in $(seconds_since "$started") s; "
  stop_vm
  local data index du_data du_index expected
  data=$(file_bytes "$dir/storage/data")
  index=$(file_bytes "$dir/storage/indexdb")
  du_data=$(du -sb "$dir/storage/data" | cut -f1)
  du_index=$(du -sb "$dir/storage/indexdb" | cut -f1)
  expected=$(($(fact "$name" samples) - $(fact "$name" nan)))
  note+="received $received rows, stored $vm_stored, searchable $vm_searchable"
  if [ "$vm_stored" = "$expected" ]; then
    note+=" (= samples - $(fact "$name" nan) NaN, which it drops)"
  else
    note+=" (EXPECTED $expected = samples - NaN)"
  fi
  note+="; du -b: $(per_sample "$du_data" "$(fact "$name" samples)") / $(per_sample $((du_data + du_index)) "$(fact "$name" samples)")"
  add_row "$name" "$label" "$vm_stored" "$data" "$index" "$seconds" "$note"
}

# --- metrics-collector -------------------------------------------------------
measure_ours() {
  local name=$1 out=$work/metrics-collector/$1 binary=$build_dir/metrics-collector started seconds
  local label="metrics-collector"
  if [ ! -x "$binary" ]; then
    echo "metrics-collector: $binary not found (build it, or pass the build dir)"
    add_row "$name" "$label" - 0 0 - "binary not found"
    return 0
  fi
  rm -rf "$out"
  mkdir -p "$out"
  started=$(now)
  local rc=0
  timeout 1800 "$binary" store import --openmetrics "$dataset_dir/$name.om" --dir "$out/store" \
    >"$out/import.log" 2>&1 || rc=$?
  seconds=$(seconds_since "$started")
  if [ $rc -ne 0 ]; then
    if grep -qE 'unexpected argument "store"|unknown (sub)?command' "$out/import.log"; then
      echo "metrics-collector: store import not available"
      add_row "$name" "$label" - 0 0 - "store import not available"
    else
      log "metrics-collector: store import failed on $name (exit $rc): $(tail -n 3 "$out/import.log")"
      add_row "$name" "$label" - 0 0 - "store import failed (exit $rc, see $out/import.log)"
    fi
    return 0
  fi
  rc=0
  timeout 600 "$binary" store stats --dir "$out/store" >"$out/stats.txt" 2>&1 || rc=$?
  if [ $rc -ne 0 ]; then
    log "metrics-collector: store stats failed (exit $rc): $(tail -n 3 "$out/stats.txt")"
    add_row "$name" "$label" - 0 0 "$seconds" "store stats failed (exit $rc)"
    return 0
  fi
  local kept data index note=
  stat_of() { sed -nE "s/^[[:space:]]*$1[[:space:]:=]+([0-9]+).*/\1/p" "$out/stats.txt" | head -n 1; }
  kept=$(stat_of samples)
  data=$(stat_of data_bytes)
  index=$(stat_of index_bytes)
  if [ -z "$kept" ] || [ -z "$data" ] || [ -z "$index" ]; then
    add_row "$name" "$label" - 0 0 "$seconds" "store stats lacks samples/data_bytes/index_bytes"
    return 0
  fi
  if [ "$kept" != "$(fact "$name" samples)" ]; then
    note="SAMPLE COUNT DIFFERS from the dataset's $(fact "$name" samples)"
  fi
  add_row "$name" "$label" "$kept" "$data" "$index" "$seconds" "$note"
}

# --- report ------------------------------------------------------------------
print_table() {
  local name=$1 samples vm_total=0
  samples=$(fact "$name" samples)
  echo
  echo "### $name: $samples samples, $(fact "$name" nan) of them NaN"
  if [ -f "$dataset_dir/$name.generator" ]; then echo "generator: $(cat "$dataset_dir/$name.generator")"; fi
  echo
  echo "| store | samples kept | data bytes/sample | data+index bytes/sample | ratio to VictoriaMetrics (data+index) | import s |"
  echo "|---|---|---|---|---|---|"
  local store kept data index seconds note
  while IFS='|' read -r store kept data index seconds note; do
    if [[ "$store" == VictoriaMetrics* && "$kept" != - ]]; then vm_total=$((data + index)); fi
  done <<<"${rows[$name]}"
  while IFS='|' read -r store kept data index seconds note; do
    [ -n "$store" ] || continue
    if [ "$kept" = - ]; then
      echo "| $store | - | - | - | - | - |"
    else
      local ratio=-
      if [ "$vm_total" -gt 0 ]; then ratio=$(awk -v a=$((data + index)) -v b="$vm_total" 'BEGIN { printf "%.2fx", a / b }'); fi
      echo "| $store | $kept | $(per_sample "$data" "$samples") | $(per_sample $((data + index)) "$samples") | $ratio | $seconds |"
    fi
  done <<<"${rows[$name]}"
  echo
  while IFS='|' read -r store kept data index seconds note; do
    [ -n "$store" ] || continue
    if [ "$kept" != - ]; then
      echo "- $store: data $data bytes, index $index bytes${note:+; $note}"
    else
      echo "- $store: $note"
    fi
  done <<<"${rows[$name]}"
}

main() {
  local total_started
  total_started=$(now)
  install_missing
  mkdir -p "$dataset_dir"
  IFS=',' read -r -a wanted <<<"$datasets"
  local name ready=()
  for name in "${wanted[@]}"; do
    case "$name" in
      real | synthetic)
        if "prepare_$name"; then ready+=("$name"); else log "skipping $name: it could not be prepared"; fi
        ;;
      *) log "unknown dataset $name (real, synthetic)"; exit 2 ;;
    esac
  done
  for name in "${ready[@]}"; do
    log "$name: Prometheus"
    measure_prometheus "$name"
    log "$name: VictoriaMetrics"
    measure_victoria_metrics "$name"
    if [ "$peers_only" -eq 0 ]; then
      log "$name: metrics-collector"
      measure_ours "$name"
    fi
  done
  {
    echo "## Store bytes/sample, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
    for name in "${ready[@]}"; do print_table "$name"; done
    echo
    echo "Total run: $(seconds_since "$total_started") s"
  } | tee "$work/last-run.md"
}

main
