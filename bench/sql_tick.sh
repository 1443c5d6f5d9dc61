#!/usr/bin/env bash
# Measures one tick of 10 queries: wall (duration histogram) and CPU (daemon
# process CPU, and the PostgreSQL backend's CPU), and samples pg_stat_activity.
set -euo pipefail
# Usage: bench/sql_tick.sh [build-dir]   (SMALL=1 for the example data only)
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$(cd "${1:-$root/build}" && pwd)
BIN=/usr/lib/postgresql/15/bin
DIR=$(mktemp -d /tmp/mc-measure-XXXXXX)
chown postgres "$DIR"
PORT=55439
runuser -u postgres -- $BIN/initdb -D "$DIR/data" -U mc --auth=trust --no-sync -E UTF8 --locale=C >/dev/null
cat >> "$DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
fsync = off
CONF
runuser -u postgres -- $BIN/pg_ctl start -D "$DIR/data" -l "$DIR/server.log" -w >/dev/null
DAEMON=
trap 'runuser -u postgres -- $BIN/pg_ctl stop -D "$DIR/data" -m immediate >/dev/null; kill $DAEMON 2>/dev/null || true' EXIT
PSQL="$BIN/psql -X -q -A -t -h $DIR -p $PORT -U mc -d postgres"
$PSQL -f $root/examples/business-metrics.sql 2>/dev/null
# Realistic volume: 10,000 installations, 2,000 connections, 200,000 operations.
if [ -z "${SMALL:-}" ]; then $PSQL <<SQL
INSERT INTO installations (project, active)
  SELECT 'project-' || (i % 50), i % 7 <> 0 FROM generate_series(1, 10000) i;
INSERT INTO connections (project, state)
  SELECT 'project-' || (i % 50), (ARRAY['active','idle','waiting'])[1 + i % 3]::connection_state
  FROM generate_series(1, 2000) i;
INSERT INTO operations (kind, succeeded, duration, finished_at)
  SELECT (ARRAY['deploy','backup','restore','migrate'])[1 + i % 4], i % 11 <> 0,
         (i % 600) * interval '1 second', now() - (i % 7200) * interval '1 second'
  FROM generate_series(1, 200000) i;
ANALYZE;
SQL
fi
cat > "$DIR/ten.yml" <<'YML'
sql:
  databases:
    - name: app
      dsn_env: DATABASE_URL
      queries:
        - {name: q1, metric: m_active_installations, help: h, sql: "SELECT count(*) AS v FROM installations WHERE active", value_columns: [v]}
        - {name: q2, metric: m_installations, help: h, sql: "SELECT project, count(*) AS v, count(*) FILTER (WHERE active) AS a FROM installations GROUP BY project", label_columns: [project], value_columns: [v, {column: a, suffix: _active}]}
        - {name: q3, metric: m_connections, help: h, sql: "SELECT state, count(*) AS v FROM connections GROUP BY state", label_columns: [state], value_columns: [v]}
        - {name: q4, metric: m_connections_by_project, help: h, sql: "SELECT project, state, count(*) AS v FROM connections GROUP BY 1, 2", label_columns: [project, state], value_columns: [v]}
        - {name: q5, metric: m_operations, type: counter, help: h, sql: "SELECT kind, succeeded::text AS ok, count(*) AS v, sum(duration) AS d FROM operations GROUP BY 1, 2", label_columns: [kind, ok], value_columns: [{column: v, suffix: _total}, {column: d, suffix: _seconds_total}]}
        - {name: q6, metric: m_success_ratio, help: h, sql: "SELECT kind, avg(succeeded::int)::float8 AS v FROM operations WHERE finished_at > now() - interval '1 hour' GROUP BY kind", label_columns: [kind], value_columns: [v]}
        - {name: q7, metric: m_ops_last_5m, help: h, sql: "SELECT count(*) AS v FROM operations WHERE finished_at > now() - interval '5 minutes'", value_columns: [v]}
        - {name: q8, metric: m_max_duration, help: h, sql: "SELECT kind, max(duration) AS v FROM operations GROUP BY kind", label_columns: [kind], value_columns: [v]}
        - {name: q9, metric: m_projects, help: h, sql: "SELECT count(DISTINCT project) AS v FROM installations", value_columns: [v]}
        - {name: q10, metric: m_db_size, help: h, sql: "SELECT pg_database_size(current_database()) AS v", value_columns: [v]}
YML
echo "scrape_configs: []" > "$DIR/idle.yml"
cpu_of() { awk '{print $14+$15}' /proc/$1/stat; }   # utime+stime in clock ticks
HZ=$(getconf CLK_TCK)
MC=$build_dir/metrics-collector
run_for() {  # config seconds -> prints "cpu_seconds"
  DATABASE_URL="postgresql://mc@127.0.0.1:$PORT/postgres" METRICS_TICK_DURATION=1s \
    $MC --config.file="$1" --web.listen-address=127.0.0.1:59931 --log.level=warn >"$DIR/daemon.log" 2>&1 &
  DAEMON=$!
  sleep 2
  local before=$(cpu_of $DAEMON)
  sleep "$2"
  local after=$(cpu_of $DAEMON)
  echo "scale=4; ($after - $before) / $HZ" | bc > "$DIR/idle_cpu"
  kill $DAEMON; wait $DAEMON 2>/dev/null || true
}
SECONDS_RUN=30
DAEMON=
run_for "$DIR/idle.yml" $SECONDS_RUN; idle_cpu=$(cat "$DIR/idle_cpu")
# pg_stat_activity sampled every 2 ms during the run with the 10 queries.
DATABASE_URL="postgresql://mc@127.0.0.1:$PORT/postgres" METRICS_TICK_DURATION=1s \
  $MC --config.file="$DIR/ten.yml" --web.listen-address=127.0.0.1:59931 --log.level=warn >"$DIR/daemon.log" 2>&1 &
DAEMON=$!
sleep 2
BACKEND=$($PSQL -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'metrics-collector'")
d_before=$(cpu_of $DAEMON); b_before=$(cpu_of $BACKEND)
hist_before=$(curl -s localhost:59931/metrics | awk '/^metrics_collector_sql_query_duration_seconds_sum\{.*success/ {s+=$2} END {print s}')
count_before=$(curl -s localhost:59931/metrics | awk '/^metrics_collector_sql_query_duration_seconds_count\{database="app",query="q1",result="success"/ {print $2}')
sleep $SECONDS_RUN
d_after=$(cpu_of $DAEMON); b_after=$(cpu_of $BACKEND)
hist_after=$(curl -s localhost:59931/metrics | awk '/^metrics_collector_sql_query_duration_seconds_sum\{.*success/ {s+=$2} END {print s}')
count_after=$(curl -s localhost:59931/metrics | awk '/^metrics_collector_sql_query_duration_seconds_count\{database="app",query="q1",result="success"/ {print $2}')
errors=$(curl -s localhost:59931/metrics | awk '/^metrics_collector_sql_query_errors_total/ {s+=$2} END {print s}')
ticks=$(echo "$count_after - $count_before" | bc)
echo "ticks=$ticks errors_total=$errors"
echo "wall per tick (sum of the 10 run durations, sequential on 1 connection): $(echo "scale=6; ($hist_after - $hist_before) / $ticks * 1000" | bc) ms"
echo "daemon CPU per tick: $(echo "scale=6; (($d_after - $d_before) / $HZ - $idle_cpu) / $ticks * 1000" | bc) ms (idle daemon over the same time: $idle_cpu s)"
echo "postgres backend CPU per tick: $(echo "scale=6; ($b_after - $b_before) / $HZ / $ticks * 1000" | bc) ms"
echo "pg_stat_activity, sampled every ~1 ms for 3000 samples (count | state | wait_event_type | query):"
$PSQL <<'SQL'
CREATE TEMP TABLE samples (state text, wait text, query text);
DO $$ BEGIN
  FOR i IN 1..3000 LOOP
    PERFORM pg_stat_clear_snapshot();
    INSERT INTO samples
      SELECT state, coalesce(wait_event_type, '-'), left(regexp_replace(query, '\s+', ' ', 'g'), 90)
      FROM pg_stat_activity WHERE application_name = 'metrics-collector';
    PERFORM pg_sleep(0.001);
  END LOOP;
END $$;
SELECT count(*), state, wait, query FROM samples GROUP BY 2, 3, 4 ORDER BY 1 DESC;
SELECT 'connections: ' || count(*) || ', backend_type ' || string_agg(DISTINCT backend_type, ',') FROM pg_stat_activity WHERE application_name = 'metrics-collector';
SQL
kill $DAEMON; wait $DAEMON 2>/dev/null || true
