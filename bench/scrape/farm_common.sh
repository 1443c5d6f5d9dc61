# Sourced by cpu_ab.sh and instructions_ab.sh: the target farm they share and
# the scrape config that points a daemon at it. Sets nothing until called.

# Starts bench/scrape/target_farm in the background (pid in $farm_pid) and
# waits until it answers. Args: FARM_BIN TARGETS SERIES BASE_PORT PAGE LOG.
start_farm() {
  "$1" --targets="$2" --series="$3" --base-port="$4" --page="$5" >"$6" 2>&1 &
  farm_pid=$!
  for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$4/-/stats" && break; sleep 0.1; done
}

# Writes a daemon config scraping every farm target at INTERVAL seconds.
# Args: FILE TARGETS BASE_PORT INTERVAL.
write_farm_scrape_config() {
  {
    echo "global:"
    echo "  scrape_interval: ${4}s"
    echo "  scrape_timeout: ${4}s"
    echo "scrape_configs:"
    echo "  - job_name: farm"
    echo "    static_configs:"
    echo "      - targets:"
    local i
    for ((i = 0; i < $2; i++)); do echo "          - 127.0.0.1:$(($3 + i))"; done
  } >"$1"
}

# The daemon's samples_appended_total. Arg: its listen address.
daemon_samples_appended() {
  curl -sf --max-time 30 "http://$1/metrics/self" |
    awk '$1 == "metrics_collector_samples_appended_total" { printf "%.0f", $2 }'
}
