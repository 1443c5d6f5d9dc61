// SqlCollector: business metrics from PostgreSQL on a ticker (issue 3;
// docs/business-metrics.md is the user's guide).
//
// Threads: one ticker thread keeps the timetable of every query of every
// database and hands due queries to their database's pool; each pool
// connection (pool_size per database, default 1) has a thread that runs the
// queries given to it, since libpqxx blocks. A query runs at most once at a
// time: when it is due while its previous run still runs, that tick is
// skipped and counted (metrics_collector_sql_ticks_skipped_total), so ticks
// never pile up. A slow database never delays another.
//
// Start-up: start() appends 0 for every declared series of every query (one
// commit per query) before anything else, then the pool connects, retrying
// with capped exponential backoff (a log line per failed attempt, with the
// reason); the ticker runs a query when it is due, and at once when its
// database connects if it has never succeeded. A database that is away never
// delays start-up: the daemon serves :9993 meanwhile, and the declared series
// stay at 0 (refreshed every tick) until the first success.
//
// Each run: one READ ONLY transaction with statement_timeout = the query's
// timeout, its result appended to the store with the tick's timestamp in one
// commit (see QuerySeries for what becomes a sample). A failed run appends
// nothing (before the first success: the zeros again) and counts the error by
// reason; a broken connection is reopened on the next attempt.
//
// Thread-safety: create(), start() and stop() from one thread. The Storage and
// the Registry must outlive the collector.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <prometheus/registry.h>

#include "collector/sql/connection_string.hpp"
#include "common/config/config.hpp"
#include "common/store/storage.hpp"
#include "common/util/status.hpp"

namespace mc {

inline constexpr std::chrono::milliseconds kDefaultSqlTick = std::chrono::minutes(1);
inline constexpr const char* kTickDurationVariable = "METRICS_TICK_DURATION";

// The tick from the METRICS_TICK_DURATION value (Go duration syntax: "15s",
// "1m30s", "500ms"); nullptr or empty gives the default, 1m. Fails with
// 'METRICS_TICK_DURATION="5x": ...' for a value that is not a positive
// duration of at least 1ms.
Result<std::chrono::milliseconds> tick_from_environment(const char* value);

// A query's interval (its own, else the tick) and statement timeout (its
// own, else min(10s, interval)), as the collector runs it.
std::chrono::milliseconds query_interval(const SqlQueryConfig& query,
                                         std::chrono::milliseconds tick);
std::chrono::milliseconds query_timeout(const SqlQueryConfig& query,
                                        std::chrono::milliseconds tick);

struct SqlCollectorOptions {
  std::chrono::milliseconds tick = kDefaultSqlTick;  // for queries without their own interval
  // Reconnect backoff: doubles from initial_backoff after each failed attempt,
  // up to max_backoff or the database's shortest query interval, whichever is less.
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff = std::chrono::seconds(30);
  // Where dsn_env is looked up; the process environment when empty.
  ConnectionString::EnvironmentLookup environment;
};

class SqlCollector {
 public:
  // Resolves every database's DSN (a missing variable or file, or a DSN libpq
  // cannot parse, is an error naming the database) and registers the
  // meta-metrics. Connects to nothing yet.
  static Result<std::unique_ptr<SqlCollector>> create(const SqlConfig& config, Storage& storage,
                                                      prometheus::Registry& registry,
                                                      SqlCollectorOptions options = {});
  ~SqlCollector();  // stops
  SqlCollector(const SqlCollector&) = delete;
  SqlCollector& operator=(const SqlCollector&) = delete;

  // Appends the initial zeros, then starts the ticker and the pools.
  void start();
  // Cancels running statements, stops the threads and closes the connections.
  void stop();

 private:
  class Impl;
  explicit SqlCollector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mc
