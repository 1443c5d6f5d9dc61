#include "collector/sql/sql_collector.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "collector/sql/error_classes.hpp"
#include "collector/sql/query_series.hpp"
#include "collector/sql/sql_connection.hpp"
#include "collector/sql/sql_metrics.hpp"
#include "common/util/duration.hpp"
#include "common/util/logger.hpp"
#include "common/util/wall_clock.hpp"

namespace mc {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::optional<std::string> process_environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

// log::debug/info/... with the level chosen at run time.
void log_at(log::Level level, std::string_view message, std::initializer_list<log::Field> fields) {
  if (log::enabled(level)) log::write(level, message, fields);
}

}  // namespace

Result<milliseconds> tick_from_environment(const char* value) {
  if (value == nullptr || *value == '\0') return kDefaultSqlTick;
  auto invalid = [&](std::string_view why) {
    return Status::error(fmt::format("{}={:?}: {}", kTickDurationVariable, value, why));
  };
  auto parsed = parse_go_duration(value);
  if (!parsed) return invalid(parsed.error());
  if (parsed->count() <= 0) return invalid("the tick must be positive");
  if (*parsed < milliseconds(1)) return invalid("the tick must be at least 1ms");
  // Whole milliseconds: the store's resolution.
  return std::chrono::duration_cast<milliseconds>(*parsed);
}

milliseconds query_interval(const SqlQueryConfig& query, milliseconds tick) {
  return query.interval.count() > 0 ? query.interval : tick;
}

milliseconds query_timeout(const SqlQueryConfig& query, milliseconds tick) {
  if (query.timeout.count() > 0) return query.timeout;
  return std::min<milliseconds>(std::chrono::seconds(10), query_interval(query, tick));
}

class SqlCollector::Impl {
 public:
  struct Database;

  struct Query {
    const SqlQueryConfig* config = nullptr;
    Database* database = nullptr;
    SqlMetrics::Query* metrics = nullptr;
    std::unique_ptr<QuerySeries> series;  // used by one thread at a time (in_flight)
    milliseconds interval{0};
    milliseconds timeout{0};
    Clock::time_point next_due;  // GUARDED_BY(mutex_)
    bool in_flight = false;      // GUARDED_BY(mutex_)
    bool succeeded = false;      // GUARDED_BY(mutex_): ever
    int64_t last_t_ms = 0;       // GUARDED_BY(mutex_): timestamps only grow
  };

  struct Job {
    Query* query = nullptr;
    int64_t t_ms = 0;
  };

  struct Worker {
    SqlConnection connection;  // used by the worker's thread only (cancel() aside)
    std::thread thread;
    bool open = false;               // GUARDED_BY(mutex_)
    int failed_attempts = 0;         // GUARDED_BY(mutex_)
    Clock::time_point next_attempt;  // GUARDED_BY(mutex_)
    std::string last_error;          // GUARDED_BY(mutex_), redacted
  };

  struct Database {
    const SqlDatabaseConfig* config = nullptr;
    std::optional<ConnectionString> dsn;
    milliseconds max_backoff{0};
    std::vector<Query*> queries;
    std::vector<std::unique_ptr<Worker>> workers;
    std::deque<Job> jobs;          // GUARDED_BY(mutex_)
    int open_connections = 0;      // GUARDED_BY(mutex_)
    bool connected_event = false;  // GUARDED_BY(mutex_): for the ticker
    std::condition_variable wake;  // workers wait here
  };

  Impl(SqlConfig config, Storage& storage, prometheus::Registry& registry,
       SqlCollectorOptions options)
      : config_(std::move(config)),
        storage_(storage),
        metrics_(registry, config_),
        options_(std::move(options)) {}

  Status prepare() {
    auto environment = options_.environment ? options_.environment : &process_environment;
    for (const SqlDatabaseConfig& database_config : config_.databases) {
      auto database = std::make_unique<Database>();
      database->config = &database_config;
      auto dsn = ConnectionString::resolve(database_config, environment);
      if (!dsn) return dsn.status();
      database->dsn = std::move(*dsn);
      database->max_backoff = options_.max_backoff;
      for (const SqlQueryConfig& query_config : database_config.queries) {
        auto query = std::make_unique<Query>();
        query->config = &query_config;
        query->database = database.get();
        query->metrics = &metrics_.query(database_config.name, query_config.name);
        query->interval = query_interval(query_config, options_.tick);
        query->timeout = query_timeout(query_config, options_.tick);
        query->series = std::make_unique<QuerySeries>(query_config, query->interval);
        database->max_backoff = std::min(database->max_backoff, query->interval);
        database->queries.push_back(query.get());
        queries_.push_back(std::move(query));
      }
      for (int i = 0; i < database_config.pool_size; ++i) {
        database->workers.push_back(std::make_unique<Worker>());
      }
      metrics_.database_up(database_config.name).Set(0);
      databases_.push_back(std::move(database));
    }
    return Status::ok();
  }

  void start() {
    // Zeros first, so no declared series is missing while the databases connect.
    int64_t now_ms = wall_clock_ms();
    for (auto& query : queries_) {
      auto appender = storage_.appender();
      query->series->append_declared_zeros(*appender, now_ms);
      if (Status status = appender->commit(); !status) {
        log::error("sql: cannot store the initial zeros",
                   {{"query", query->config->name}, {"err", status.message()}});
      }
      query->last_t_ms = now_ms;
      query->next_due = Clock::now();
    }
    log::info("sql collector starting", {{"databases", databases_.size()},
                                         {"queries", queries_.size()},
                                         {"tick", format_duration(options_.tick)}});
    for (auto& database : databases_) {
      log::info("sql: connecting to database", {{"database", database->config->name},
                                                {"dsn", database->dsn->description()},
                                                {"pool_size", database->workers.size()}});
      for (auto& worker : database->workers) {
        worker->next_attempt = Clock::now();
        worker->thread = std::thread(
            [this, &database = *database, &worker = *worker] { run_worker(database, worker); });
      }
    }
    ticker_ = std::thread([this] { run_ticker(); });
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    ticker_wake_.notify_all();
    for (auto& database : databases_) {
      database->wake.notify_all();
      for (auto& worker : database->workers) worker->connection.cancel();
    }
    if (ticker_.joinable()) ticker_.join();
    for (auto& database : databases_) {
      for (auto& worker : database->workers) {
        if (worker->thread.joinable()) worker->thread.join();
        worker->connection.close();
      }
      metrics_.database_up(database->config->name).Set(0);
    }
    log::info("sql collector stopped");
  }

 private:
  // The ticker: hands due queries to their pools; never blocks on a database.
  void run_ticker() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      Clock::time_point now = Clock::now();
      int64_t now_ms = wall_clock_ms();
      // A database that just connected: queries that never succeeded run now
      // rather than at their next tick (the first values come without delay).
      for (auto& database : databases_) {
        if (!database->connected_event) continue;
        database->connected_event = false;
        for (Query* query : database->queries) {
          if (!query->succeeded && !query->in_flight) query->next_due = now;
        }
      }
      Clock::time_point next_wake = Clock::time_point::max();
      for (auto& query : queries_) {
        if (query->next_due <= now) dispatch(*query, now, now_ms);
        next_wake = std::min(next_wake, query->next_due);
      }
      ticker_wake_.wait_until(lock, next_wake);
    }
  }

  // REQUIRES: mutex_ held; query due.
  static void dispatch(Query& query, Clock::time_point now, int64_t now_ms) {
    // Next due time on the query's own grid; ticks passed over while it ran
    // (or while this thread was not scheduled) are skipped ticks too.
    int64_t missed = 0;
    while (query.next_due <= now) {
      query.next_due += query.interval;
      ++missed;
    }
    if (query.in_flight) {
      query.metrics->skipped->Increment(static_cast<double>(missed));
      log::warn("sql: query still running at its next tick; tick skipped",
                {{"database", query.database->config->name},
                 {"query", query.config->name},
                 {"skipped", missed}});
      return;
    }
    if (missed > 1) query.metrics->skipped->Increment(static_cast<double>(missed - 1));
    query.in_flight = true;
    int64_t t_ms = std::max(now_ms, query.last_t_ms + 1);
    query.last_t_ms = t_ms;
    query.database->jobs.push_back(Job{&query, t_ms});
    query.database->wake.notify_all();
  }

  bool stopping() {
    std::lock_guard lock(mutex_);
    return stopping_;
  }

  milliseconds backoff_after(const Database& database, int failed_attempts) const {
    milliseconds delay = options_.initial_backoff;
    for (int i = 1; i < failed_attempts && delay < database.max_backoff; ++i) delay *= 2;
    return std::min(delay, database.max_backoff);
  }

  // One pool connection's thread: connect (with backoff), then run jobs.
  void run_worker(Database& database, Worker& worker) {
    const std::string& database_name = database.config->name;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      Clock::time_point now = Clock::now();
      if (!worker.open && now >= worker.next_attempt) {
        int attempt = worker.failed_attempts + 1;
        lock.unlock();
        QueryError error = worker.connection.open(database.dsn->conninfo());
        lock.lock();
        if (error.ok()) {
          worker.open = true;
          worker.failed_attempts = 0;
          if (++database.open_connections == 1) {
            metrics_.database_up(database_name).Set(1);
            database.connected_event = true;
            ticker_wake_.notify_all();
          }
          log::info("sql: connected to database",
                    {{"database", database_name}, {"dsn", database.dsn->description()}});
        } else {
          worker.failed_attempts = attempt;
          worker.last_error = database.dsn->redact(error.message);
          milliseconds delay = backoff_after(database, attempt);
          worker.next_attempt = Clock::now() + delay;
          // A refused login is retried too (a password may be rotated, a role
          // created), but it needs a person, unlike a database that is away.
          log_at(is_refused_login(error.message) ? log::Level::error : log::Level::warn,
                 "sql: cannot connect to database",
                 {{"database", database_name},
                  {"dsn", database.dsn->description()},
                  {"attempt", attempt},
                  {"retry_in", format_duration(delay)},
                  {"err", worker.last_error}});
        }
        continue;
      }
      if (!database.jobs.empty() && (worker.open || database.open_connections == 0)) {
        Job job = database.jobs.front();
        database.jobs.pop_front();
        bool fail_fast = !worker.open;
        std::string connect_error = worker.last_error;
        bool succeeded_before = job.query->succeeded;
        lock.unlock();
        bool lost_connection = false;
        bool succeeded =
            fail_fast
                ? fail_without_connection(*job.query, job.t_ms, connect_error, succeeded_before)
                : run_job(worker, *job.query, job.t_ms, succeeded_before, lost_connection);
        lock.lock();
        job.query->in_flight = false;
        job.query->succeeded = job.query->succeeded || succeeded;
        if (lost_connection) {
          worker.open = false;
          worker.next_attempt = Clock::now();  // reconnect at once, then back off
          if (--database.open_connections == 0) metrics_.database_up(database_name).Set(0);
        }
        continue;
      }
      if (worker.open) {
        database.wake.wait(lock);
      } else {
        database.wake.wait_until(lock, worker.next_attempt);
      }
    }
  }

  // A due run while the database is unreachable: counted as a connect error;
  // the declared zeros are refreshed until the query first succeeds.
  bool fail_without_connection(Query& query, int64_t t_ms, const std::string& error,
                               bool succeeded_before) {
    query.metrics->errors(QueryFailure::connect).Increment();
    query.metrics->last_run_successful->Set(0);
    if (!succeeded_before) append_zeros(query, t_ms);
    log::debug("sql: query not run, database unreachable",
               {{"database", query.database->config->name},
                {"query", query.config->name},
                {"err", error}});
    return false;
  }

  void append_zeros(Query& query, int64_t t_ms) {
    auto appender = storage_.appender();
    query.series->append_declared_zeros(*appender, t_ms);
    (void)appender->commit();
  }

  // Returns whether the run succeeded; sets `lost_connection` when the
  // connection broke (it is closed by then).
  bool run_job(Worker& worker, Query& query, int64_t t_ms, bool succeeded_before,
               bool& lost_connection) {
    const std::string& database_name = query.database->config->name;
    Clock::time_point started = Clock::now();
    auto appender = storage_.appender();
    QueryRunStats stats;
    QueryError error = worker.connection.run_read_only(
        query.config->sql, query.timeout, [&](const ResultTable& table) {
          return query.series->append_result(table, *appender, t_ms, stats);
        });
    if (error.ok()) {
      if (Status committed = appender->commit(); !committed) {
        error = {QueryFailure::conversion,
                 fmt::format("store commit failed: {}", committed.message())};
      }
    } else {
      appender->rollback();
    }
    double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    for (const auto& [column, count] : stats.null_values) {
      metrics_.null_values(database_name, query.config->name, column)
          .Increment(static_cast<double>(count));
    }
    if (error.ok()) {
      query.metrics->duration_success->Observe(seconds);
      query.metrics->last_success->Set(static_cast<double>(t_ms) / 1000.0);
      query.metrics->last_run_successful->Set(1);
      log::debug("sql: query done", {{"database", database_name},
                                     {"query", query.config->name},
                                     {"rows", stats.rows},
                                     {"samples", stats.samples},
                                     {"seconds", seconds}});
      return true;
    }
    if (stopping()) {
      // stop() cancelled the statement: a shutdown, not a failure to count.
      lost_connection = error.reason == QueryFailure::connect;
      return false;
    }
    query.metrics->duration_failure->Observe(seconds);
    query.metrics->errors(error.reason).Increment();
    query.metrics->last_run_successful->Set(0);
    lost_connection = error.reason == QueryFailure::connect;
    // Error level when the next run fails the same way unless someone edits
    // the SQL, the schema or a grant; warn when a retry may do (a timeout, a
    // lost connection, a lock). The message is whole: its DETAIL and HINT
    // lines stay, as escaped newlines inside the one log record.
    log_at(error.permanent ? log::Level::error : log::Level::warn, "sql: query failed",
           {{"database", database_name},
            {"query", query.config->name},
            {"reason", query_failure_name(error.reason)},
            {"sqlstate", error.sqlstate.empty() ? "none" : error.sqlstate},
            {"err", query.database->dsn->redact(error.message)}});
    if (!succeeded_before) append_zeros(query, t_ms);
    return false;
  }

  const SqlConfig config_;  // a copy: queries point into it
  Storage& storage_;
  SqlMetrics metrics_;
  const SqlCollectorOptions options_;
  std::vector<std::unique_ptr<Database>> databases_;
  std::vector<std::unique_ptr<Query>> queries_;

  std::mutex mutex_;
  std::condition_variable ticker_wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread ticker_;
};

SqlCollector::SqlCollector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqlCollector::~SqlCollector() {
  if (impl_) impl_->stop();
}

Result<std::unique_ptr<SqlCollector>> SqlCollector::create(const SqlConfig& config,
                                                           Storage& storage,
                                                           prometheus::Registry& registry,
                                                           SqlCollectorOptions options) {
  std::unique_ptr<Impl> impl;
  try {
    impl = std::make_unique<Impl>(config, storage, registry, std::move(options));
  } catch (const std::exception& error) {
    // prometheus-cpp throws when a family name is registered twice.
    return Status::error(fmt::format("sql: cannot register meta-metrics: {}", error.what()));
  }
  if (Status status = impl->prepare(); !status) return status;
  return std::unique_ptr<SqlCollector>(new SqlCollector(std::move(impl)));
}

void SqlCollector::start() { impl_->start(); }

void SqlCollector::stop() { impl_->stop(); }

}  // namespace mc
