#!/usr/bin/env bash
# Side-by-side scrape benchmark (issue 5): metrics-collector, Prometheus 2.42,
# vmagent 1.79 and VictoriaMetrics single-node scrape the same target farm
# (bench/scrape/target_farm.cpp) at the same interval, one after the other.
#
# Usage: bench/scrape/compare.sh            (from the repository root, as root for apt)
# Knobs (environment):
#   WINDOW=60         seconds measured per scraper and run, after the warm-up
#   WARMUP=           seconds from the first samples to the start of the window;
#                     default the larger of 2*INTERVAL+5 and 1 s per 5,000 series
#                     (Prometheus and VictoriaMetrics need minutes to create 500,000)
#   RUNS=3            runs; each run takes the scrapers in a rotated order
#   INTERVAL=10       scrape interval and timeout, seconds, of a farm given without @S
#   FARMS="50x1000 200x1000 50x10000 200x1000@1"   targets x series per target, and
#                     @S for a farm scraped every S seconds instead of INTERVAL
#                     (the 1 s run stresses throughput)
#   SCRAPERS="metrics-collector prometheus vmagent victoria-metrics"
#   MC_STORE_FLAGS=   extra flags for our daemon, word-split (its store is always on,
#                     in the run's temporary directory)
#   BUILD=build       our build directory (configured and built if needed;
#                     NO_BUILD=1 uses it as it is)
#   RESULTS=bench/scrape/results/<time>   raw CSV, logs and the table go here
#   BASE_PORT=21000   farm ports BASE_PORT..BASE_PORT+K-1; scrapers and sink below it
#   RELABEL=0         1: every scraper's job gets the same 5 relabel_configs and 5
#                     metric_relabel_configs rules (write_relabel_rules below);
#                     "0 1": both variants, one after the other for each scraper
#                     within each run, so rules and no rules meet the same load
#
# CPU is utime+stime of the scraper's process from /proc/PID/stat over the
# window. The farm's and the remote-write sink's CPU (vmagent's receiver) are
# measured the same way and reported apart, never added to a scraper.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
WINDOW=${WINDOW:-60}
RUNS=${RUNS:-3}
INTERVAL=${INTERVAL:-10}
WARMUP=${WARMUP:-}  # empty: chosen per farm below
FARMS=${FARMS:-"50x1000 200x1000 50x10000 200x1000@1"}
SCRAPERS=${SCRAPERS:-"metrics-collector prometheus vmagent victoria-metrics"}
MC_STORE_FLAGS=${MC_STORE_FLAGS:-}
BUILD=${BUILD:-$repo/build}
BASE_PORT=${BASE_PORT:-21000}
RESULTS=${RESULTS:-$repo/bench/scrape/results/$(date +%Y%m%dT%H%M%S)}
PAGE=${PAGE:-$repo/../shared/data/node_exporter-1.5.0-page.prom}
RELABEL=${RELABEL:-0}
SCRAPER_PORT=$((BASE_PORT - 10))
SINK_PORT=$((BASE_PORT - 9))
TICKS=$(getconf CLK_TCK)

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { log "error: $*"; exit 1; }

# --- what it needs -----------------------------------------------------------
[ -f "$PAGE" ] || die "$PAGE not found (the team's shared/ folder; or set PAGE=)"
need=()
for package in prometheus victoria-metrics curl python3; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    need+=("$package")
done
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "needs: apt-get install ${need[*]} (run as root to install them)"
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends "${need[@]}"
fi
if [ "${NO_BUILD:-0}" != 1 ]; then
  if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$repo" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMC_BUILD_TESTS=OFF >&2
  fi
  cmake --build "$BUILD" -j"$(nproc)" --target metrics-collector target_farm >&2
fi
FARM_BIN=$BUILD/bench/target_farm
MC_BIN=$BUILD/metrics-collector

mkdir -p "$RESULTS"
work=$(mktemp -d /tmp/scrape-compare.XXXXXX)
pids=()
stop_pid() {  # TERM, up to 10 s grace, then KILL
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for port in $SCRAPER_PORT $SINK_PORT; do
  ! ss -ltn "sport = :$port" | grep -q LISTEN || die "port $port is taken (set BASE_PORT=)"
done

# --- measuring -----------------------------------------------------------------
cpu_seconds() {  # utime+stime of every thread of PID, in seconds
  awk -v ticks="$TICKS" '{ sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / ticks }' "/proc/$1/stat"
}
status_bytes() {  # VmHWM / VmRSS of PID in bytes
  awk -v key="$2:" '$1 == key { print $2 * 1024 }' "/proc/$1/status"
}
metric_sum() {  # sum of the samples whose name{labels} matches the regex, on URL
  curl -sf --max-time 20 "$1" | awk -v pattern="$2" '
    !/^#/ && $1 ~ pattern { sum += $2; found = 1 }
    END { if (found) printf "%.0f", sum; else printf "NA" }'
}
farm_stat() { curl -sf --max-time 5 "http://127.0.0.1:$BASE_PORT/-/stats" | awk -v key="$1" '$1 == key { print $2 }'; }
wait_http() {  # URL, seconds
  for _ in $(seq $((${2} * 10))); do
    curl -sf --max-time 1 -o /dev/null "$1" && return 0
    sleep 0.1
  done
  return 1
}

# Per scraper: command, readiness URL, metrics URL, samples regex, whether that
# counter includes the 5 report series per scrape, active-series regex.
start_scraper() {  # name dir -> sets scraper_pid, metrics_url, ready_url
  local name=$1 dir=$2 listen=127.0.0.1:$SCRAPER_PORT
  case $name in
    metrics-collector)
      # shellcheck disable=SC2086  # MC_STORE_FLAGS is a list of flags
      "$MC_BIN" --config.file="$dir/scrape.yml" --web.listen-address="$listen" \
        --log.level=warn --storage.path="$dir/data" $MC_STORE_FLAGS >"$dir/log" 2>&1 &
      metrics_url=http://$listen/metrics/self ready_url=http://$listen/-/ready
      samples_regex='^metrics_collector_samples_appended_total$' report_series=5
      series_regex='^metrics_collector_head_series$' ;;
    prometheus)
      prometheus --config.file="$dir/scrape.yml" --storage.tsdb.path="$dir/data" \
        --web.listen-address="$listen" --log.level=warn >"$dir/log" 2>&1 &
      metrics_url=http://$listen/metrics ready_url=http://$listen/-/ready
      samples_regex='^prometheus_tsdb_head_samples_appended_total(\{|$)' report_series=5
      series_regex='^prometheus_tsdb_head_series$' ;;
    vmagent)
      vmagent -promscrape.config="$dir/scrape.yml" -httpListenAddr="$listen" \
        -remoteWrite.url="http://127.0.0.1:$SINK_PORT/api/v1/write" \
        -remoteWrite.tmpDataPath="$dir/data" -loggerLevel=WARN >"$dir/log" 2>&1 &
      metrics_url=http://$listen/metrics ready_url=http://$listen/health
      samples_regex='^vm_promscrape_scraped_samples_sum$' report_series=0
      series_regex='^NONE$' ;;  # stores nothing: no active-series figure of its own
    victoria-metrics)
      victoria-metrics -promscrape.config="$dir/scrape.yml" -httpListenAddr="$listen" \
        -storageDataPath="$dir/data" -retentionPeriod=1 -loggerLevel=WARN >"$dir/log" 2>&1 &
      metrics_url=http://$listen/metrics ready_url=http://$listen/health
      samples_regex='^vm_promscrape_scraped_samples_sum$' report_series=0
      series_regex='^vm_cache_entries\{type="storage/hour_metric_ids"\}$' ;;
    *) die "unknown scraper $name" ;;
  esac
  scraper_pid=$!
  pids+=("$scraper_pid")
}

# Rules a production job might carry, that keep every target and every sample
# but make each scraper evaluate them all on every target and every sample; all
# are Prometheus 2.42 actions that vmagent 1.79 accepts too. The labels they
# touch are those of the farm's node_exporter page (device, mode, goversion).
write_relabel_rules() {
  cat <<'RULES'
    relabel_configs:
      - source_labels: [__address__]
        regex: '[^:]+:(\d+)'
        target_label: port
      - target_label: env
        replacement: bench
      - source_labels: [__address__]
        modulus: 8
        target_label: __tmp_shard
        action: hashmod
      - source_labels: [__tmp_shard]
        regex: '[0-7]'
        action: keep
      - regex: '(job)'
        replacement: 'scrape_$1'
        action: labelmap
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: '.+'
        action: keep
      - source_labels: [__name__, device]
        regex: 'no_such_metric;.*'
        action: drop
      - source_labels: [device]
        regex: '(/dev/)?(vd[a-z]+|sd[a-z]+|zram)[0-9]*'
        target_label: disk
        replacement: '$2'
      - regex: 'goversion'
        action: labeldrop
      - source_labels: [mode]
        target_label: mode_upper
        action: uppercase
RULES
}

write_scrape_config() {  # targets interval file relabel
  {
    echo "global:"
    echo "  scrape_interval: ${2}s"
    echo "  scrape_timeout: ${2}s"
    echo "scrape_configs:"
    echo "  - job_name: farm"
    echo "    static_configs:"
    echo "      - targets:"
    for ((i = 0; i < $1; i++)); do echo "          - 127.0.0.1:$((BASE_PORT + i))"; done
    [ "$4" = 0 ] || write_relabel_rules
  } >"$3"
}

csv=$RESULTS/results.csv
echo "farm,targets,series_per_target,interval_s,run,scraper,window_s,cpu_s,scraper_samples_raw,report_series_per_scrape,scraped_samples,farm_scrapes,farm_samples,samples_check,cpu_ns_per_sample,active_series_reported,series_expected,vmhwm_bytes,vmrss_bytes,peak_rss_per_series,steady_rss_per_series,farm_cpu_s,sink_cpu_s,loadavg_1m,relabel" >"$csv"

"$FARM_BIN" --sink-port="$SINK_PORT" >"$RESULTS/sink.log" 2>&1 &
sink_pid=$!
pids+=("$sink_pid")

read -ra scraper_list <<<"$SCRAPERS"
for spec in $FARMS; do
  farm=${spec%@*} interval=$INTERVAL
  [ "$farm" = "$spec" ] || interval=${spec#*@}
  [[ $farm =~ ^[0-9]+x[0-9]+$ && $interval =~ ^[0-9]+$ && $interval -gt 0 ]] ||
    die "FARMS: \"$spec\" is not KxM or KxM@S"
  targets=${farm%x*} series=${farm#*x}
  for ((i = 0; i < targets; i++)); do
    ! ss -ltn "sport = :$((BASE_PORT + i))" | grep -q LISTEN ||
      die "port $((BASE_PORT + i)) is taken (set BASE_PORT=)"
  done
  "$FARM_BIN" --targets="$targets" --series="$series" --base-port="$BASE_PORT" --page="$PAGE" \
    >"$RESULTS/farm-$farm-${interval}s.log" 2>&1 &
  farm_pid=$!
  pids+=("$farm_pid")
  wait_http "http://127.0.0.1:$BASE_PORT/-/stats" 10 || die "the farm did not start (see $RESULTS/farm-$farm-${interval}s.log)"
  series_expected=$((targets * (series + 5)))
  warmup=${WARMUP:-$((2 * interval + 5))}
  if [ -z "$WARMUP" ] && [ $((targets * series / 5000)) -gt "$warmup" ]; then
    warmup=$((targets * series / 5000))
  fi
  for ((run = 1; run <= RUNS; run++)); do
    count=${#scraper_list[@]}
    for ((s = 0; s < count; s++)); do
      name=${scraper_list[$(((s + run - 1) % count))]}
      for relabel in $RELABEL; do
        dir=$work/$farm-${interval}s-$run-$name-r$relabel
        mkdir -p "$dir"
        write_scrape_config "$targets" "$interval" "$dir/scrape.yml" "$relabel"
        log "farm $farm @ ${interval}s run $run/$RUNS: $name, relabel rules $relabel (warm-up ${warmup}s, window ${WINDOW}s)"
        start_scraper "$name" "$dir"
        if ! wait_http "$ready_url" 60; then
          log "$name did not become ready; its log:"; tail -20 "$dir/log" >&2
          stop_pid "$scraper_pid"; continue
        fi
        # Prometheus applies discovered targets only after about 5 s: the warm-up
        # starts once the scraper has counted its first samples.
        for _ in $(seq 60); do
          [ "$(metric_sum "$metrics_url" "$samples_regex")" != NA ] && break
          sleep 0.5
        done
        sleep "$warmup"
        cpu0=$(cpu_seconds "$scraper_pid") farm_cpu0=$(cpu_seconds "$farm_pid")
        sink_cpu0=$(cpu_seconds "$sink_pid")
        raw0=$(metric_sum "$metrics_url" "$samples_regex")
        scrapes0=$(farm_stat requests) farm_samples0=$(farm_stat samples)
        sleep "$WINDOW"
        cpu1=$(cpu_seconds "$scraper_pid") farm_cpu1=$(cpu_seconds "$farm_pid")
        sink_cpu1=$(cpu_seconds "$sink_pid")
        raw1=$(metric_sum "$metrics_url" "$samples_regex")
        scrapes1=$(farm_stat requests) farm_samples1=$(farm_stat samples)
        active=$(metric_sum "$metrics_url" "$series_regex")
        hwm=$(status_bytes "$scraper_pid" VmHWM) rss=$(status_bytes "$scraper_pid" VmRSS)
        load=$(cut -d' ' -f1 /proc/loadavg)
        cp "$dir/log" "$RESULTS/$farm-${interval}s-$run-$name-r$relabel.log"
        stop_pid "$scraper_pid"
        rm -rf "$dir"
        awk -v OFS=, -v farm="$farm" -v k="$targets" -v m="$series" -v iv="$interval" -v run="$run" \
          -v name="$name" -v window="$WINDOW" -v cpu0="$cpu0" -v cpu1="$cpu1" -v raw0="$raw0" \
          -v raw1="$raw1" -v rep="$report_series" -v sc0="$scrapes0" -v sc1="$scrapes1" \
          -v fs0="$farm_samples0" -v fs1="$farm_samples1" -v active="$active" \
          -v expected="$series_expected" -v hwm="$hwm" -v rss="$rss" -v fc0="$farm_cpu0" \
          -v fc1="$farm_cpu1" -v kc0="$sink_cpu0" -v kc1="$sink_cpu1" -v load="$load" \
          -v relabel="$relabel" 'BEGIN {
            cpu = cpu1 - cpu0; scrapes = sc1 - sc0; farm_samples = fs1 - fs0
            if (raw0 == "NA" || raw1 == "NA") { rawd = "NA"; scraped = farm_samples; check = "NA" }
            else { rawd = raw1 - raw0; scraped = rawd - rep * scrapes
                   check = farm_samples > 0 ? sprintf("%.3f", scraped / farm_samples) : "NA" }
            ns = scraped > 0 ? sprintf("%.0f", cpu * 1e9 / scraped) : "NA"
            print farm, k, m, iv, run, name, window, sprintf("%.2f", cpu), rawd, rep, scraped,
                  scrapes, farm_samples, check, ns, active, expected, hwm, rss,
                  sprintf("%.0f", hwm / expected), sprintf("%.0f", rss / expected),
                  sprintf("%.2f", fc1 - fc0), sprintf("%.2f", kc1 - kc0), load, relabel }' |
        tee -a "$csv" >&2
      done
    done
  done
  stop_pid "$farm_pid"
done

python3 "$here/summarize.py" "$csv" | tee "$RESULTS/table.md"
log "raw results: $csv"
