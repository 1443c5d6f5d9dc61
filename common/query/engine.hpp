// QueryEngine: evaluates PromQL over the store, as Prometheus 2.42's engine
// (promql/engine.go) does, float samples only: instant and range queries with
// the 5-minute lookback, staleness markers, offset and @, subqueries, and the
// limits that keep a query of death from hurting the daemon (timeout, samples
// loaded, concurrent queries).
//
// It reads through Storage::querier over [start - lookback - ranges - offsets,
// end], with ReadHints that let a downsampled tier serve where the step allows
// (common/query/tier_hints.hpp); when any tier but raw served, the result's
// warnings say so.
//
// Thread-safety: instant_query and range_query may be called from any number
// of threads; at most max_concurrency run at once, the others wait.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/query/value.hpp"
#include "common/store/storage.hpp"

namespace mc::query {

struct EngineOptions {
  std::chrono::milliseconds lookback_delta{std::chrono::minutes(5)};  // --query.lookback-delta
  std::chrono::milliseconds timeout{std::chrono::minutes(2)};         // --query.timeout
  uint64_t max_samples = 50'000'000;                                  // --query.max-samples
  int max_concurrency = 20;                                           // --query.max-concurrency
  // The step of a subquery written without one ("x[5m:]"): Prometheus takes
  // the global evaluation_interval, 1m unless configured.
  std::chrono::milliseconds subquery_default_step{std::chrono::minutes(1)};
  // Helper threads a long query's series are shared with (query_workers.hpp),
  // shared by all queries; -1: one fewer than the usable CPUs (a cgroup's
  // CPU limit counted, util/usable_cpus.hpp).                 --query.workers
  int workers = -1;
};

// The API's errorType of each failure, and its HTTP status (400, 422, 503).
enum class QueryErrorKind {
  BadData,    // parse error, bad argument: 400 "bad_data"
  Execution,  // failed while evaluating: 422 "execution"
  Timeout,    // --query.timeout passed: 503 "timeout"
  Canceled,   // 503 "canceled"
  Internal,   // a store read failed: 500 "internal"
};

struct QueryError {
  QueryErrorKind kind = QueryErrorKind::Execution;
  // As Prometheus words it: "1:6: parse error: ...", "query timed out in
  // expression evaluation", "query processing would load too many samples
  // into memory in query execution".
  std::string message;
};

struct QueryResult {
  // Instant query: ScalarValue, StringValue, Vector, or Matrix (a range
  // selector at the top). Range query: always a Matrix, series sorted by labels.
  Value value;
  std::vector<std::string> warnings;
  std::optional<QueryError> error;  // set: value is meaningless

  bool ok() const { return !error.has_value(); }
};

// What one query may ask beyond the engine's options.
struct QueryOptions {
  // The API's `timeout` parameter: the query stops at the earlier of it and
  // --query.timeout, with the same error, as Prometheus's context deadline.
  std::optional<std::chrono::nanoseconds> timeout;
  // The API's `max_source_resolution` (Thanos's name): the coarsest tier
  // resolution any selector of this query may read where finer data exists.
  // 0 ("raw"): raw data wherever it is kept. nullopt ("auto"): a fifth of the
  // step, as tier_hints.hpp decides. A tier is still read only by the
  // functions whose answer its window aggregates carry, and only by ranges of
  // at least 5 of its windows.
  std::optional<int64_t> max_source_resolution_ms;
};

class QueryEngine {
 public:
  // `storage` must outlive the engine.
  QueryEngine(Storage& storage, EngineOptions options = {});
  ~QueryEngine();
  QueryEngine(const QueryEngine&) = delete;
  QueryEngine& operator=(const QueryEngine&) = delete;

  // As given, except that a lookback or subquery step <= 0 takes the default
  // and max_concurrency < 1 is 1.
  const EngineOptions& options() const;

  // The expression at t (ms since the epoch).
  QueryResult instant_query(std::string_view query, int64_t t_ms,
                            const QueryOptions& per_query = {});
  // At start, start + step, ... <= end. REQUIRES: step_ms > 0, end_ms >= start_ms
  // (the HTTP API checks and words those errors).
  QueryResult range_query(std::string_view query, int64_t start_ms, int64_t end_ms, int64_t step_ms,
                          const QueryOptions& per_query = {});

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mc::query
