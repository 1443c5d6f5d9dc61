#include "common/query/engine.hpp"

#include <algorithm>
#include <exception>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/query/concurrency_gate.hpp"
#include "common/query/eval_context.hpp"
#include "common/query/eval_failure.hpp"
#include "common/query/evaluator.hpp"
#include "common/query/parser.hpp"
#include "common/query/query_limits.hpp"
#include "common/query/query_workers.hpp"
#include "common/util/usable_cpus.hpp"

namespace mc::query {
namespace {

constexpr const char* kQueueTimeoutMessage = "query timed out in query queue";

QueryResult failure(QueryErrorKind kind, std::string message) {
  QueryResult result;
  result.error = QueryError{kind, std::move(message)};
  return result;
}

// An instant query's answer in the type of its expression.
Value instant_value(ValueType type, Matrix&& matrix, int64_t t_ms) {
  if (type == ValueType::Scalar) {
    const bool has_point = !matrix.empty() && !matrix.front().points.empty();
    return ScalarValue{t_ms, has_point ? matrix.front().points.front().v
                                       : std::numeric_limits<double>::quiet_NaN()};
  }
  if (type == ValueType::Matrix) return std::move(matrix);
  Vector vector;
  vector.reserve(matrix.size());
  for (MatrixSeries& series : matrix) {
    if (series.points.empty()) continue;
    vector.push_back(VectorSample{std::move(series.labels), t_ms, series.points.front().v});
  }
  return vector;
}

// A range query's answer: series with points, sorted by labels.
Value range_value(Matrix&& matrix) {
  std::erase_if(matrix, [](const MatrixSeries& series) { return series.points.empty(); });
  std::sort(matrix.begin(), matrix.end(),
            [](const MatrixSeries& a, const MatrixSeries& b) { return a.labels < b.labels; });
  return std::move(matrix);
}

// Options a query cannot run with take Prometheus's defaults: a lookback of 0
// means the default 5m there too, and a subquery step of 0 would never
// advance.
EngineOptions with_defaults(EngineOptions options) {
  const EngineOptions defaults;
  if (options.lookback_delta.count() <= 0) options.lookback_delta = defaults.lookback_delta;
  if (options.subquery_default_step.count() <= 0) {
    options.subquery_default_step = defaults.subquery_default_step;
  }
  if (options.max_concurrency < 1) options.max_concurrency = 1;
  return options;
}

// now + timeout, saturating: a timeout of "forever" must not wrap around into
// the past.
std::chrono::steady_clock::time_point deadline_after(std::chrono::milliseconds timeout) {
  const auto now = std::chrono::steady_clock::now();
  // Compared in milliseconds: converting a huge timeout to the clock's
  // nanoseconds would overflow too.
  const auto headroom = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::time_point::max() - now);
  if (timeout >= headroom) {
    return std::chrono::steady_clock::time_point::max();
  }
  return now + timeout;
}

// "3600s", or "1500ms" for a step of a fraction of a second.
std::string step_text(int64_t interval_ms) {
  if (interval_ms % 1000 == 0) return std::to_string(interval_ms / 1000) + "s";
  return std::to_string(interval_ms) + "ms";
}

// One warning naming every tier coarser than raw that served, so that the
// API's `warnings` tells a user they see window aggregates; none when only
// raw data served.
std::optional<std::string> coarser_tiers_warning(const std::vector<std::string>& tiers,
                                                 const StepGrid& grid, bool instant,
                                                 bool resolution_asked, bool windows_cut) {
  std::string names;
  for (const std::string& tier : tiers) {
    if (tier == "raw") continue;
    if (!names.empty()) names += ", ";
    names += tier;
  }
  if (names.empty()) return std::nullopt;
  std::string warning = "read from the " + names +
                        (names.find(',') == std::string::npos ? " tier" : " tiers") +
                        " (window aggregates) where raw samples are no longer kept";
  if (resolution_asked) {
    warning += " or max_source_resolution allows it";
  } else {
    // An instant query's own grid never allows a tier; a subquery's step may.
    warning += instant ? " or a subquery's step allows it"
                       : " or the " + step_text(grid.interval_ms) + " step allows it";
  }
  if (windows_cut) {
    warning += "; ranges that start or end inside a window took an interpolated part of it";
  }
  return warning;
}

}  // namespace

struct QueryEngine::State {
  State(Storage& storage, const EngineOptions& options)
      : storage(storage),
        options(with_defaults(options)),
        gate(this->options.max_concurrency),
        workers(helper_count(this->options.workers)) {}

  QueryResult run(std::string_view query, StepGrid grid, bool instant,
                  const QueryOptions& per_query);

  static size_t helper_count(int asked) {
    if (asked >= 0) return static_cast<size_t>(asked);
    return static_cast<size_t>(usable_cpus() - 1);
  }

  Storage& storage;
  EngineOptions options;
  ConcurrencyGate gate;
  QueryWorkers workers;
};

QueryResult QueryEngine::State::run(std::string_view query, StepGrid grid, bool instant,
                                    const QueryOptions& per_query) {
  auto deadline = deadline_after(options.timeout);
  if (per_query.timeout) {
    // A negative timeout is already over, as Go's context.WithTimeout.
    const auto asked = std::chrono::steady_clock::now() +
                       std::max(*per_query.timeout, std::chrono::nanoseconds(0));
    if (*per_query.timeout < std::chrono::hours(24 * 365) && asked < deadline) deadline = asked;
  }
  Result<ExprPtr> parsed = parse_expr(query);
  if (!parsed) return failure(QueryErrorKind::BadData, parsed.error());
  const Expr& expr = **parsed;
  const ValueType type = expr_type(expr);
  if (!instant && type != ValueType::Vector && type != ValueType::Scalar) {
    return failure(QueryErrorKind::BadData,
                   "invalid expression type \"" + std::string(documented_type_name(type)) +
                       "\" for range query, must be Scalar or instant Vector");
  }
  GateSlot slot(gate, deadline);
  if (!slot.held()) return failure(QueryErrorKind::Timeout, kQueueTimeoutMessage);
  QueryLimits limits(deadline, options.max_samples);
  EvalContext ctx{
      storage, options, limits, grid.start_ms, grid.end_ms, {}, per_query.max_source_resolution_ms};
  ctx.workers = &workers;
  QueryResult result;
  try {
    const Evaluator evaluator(ctx, grid);
    if (type == ValueType::String) {
      result.value = StringValue{grid.start_ms, Evaluator::eval_string(expr)};
    } else if (instant) {
      result.value = instant_value(type, evaluator.eval(expr), grid.start_ms);
    } else {
      result.value = range_value(evaluator.eval(expr));
    }
  } catch (const EvalFailure& failed) {
    result.error = failed.error;
  } catch (const std::bad_alloc&) {
    result.error = QueryError{QueryErrorKind::Execution, "query ran out of memory"};
  } catch (const std::exception& error) {
    // A library's exception (a vector's length_error, ...) stops this query,
    // not the thread serving it.
    result.error = QueryError{QueryErrorKind::Internal, error.what()};
  }
  if (result.ok()) {
    if (auto warning = coarser_tiers_warning(ctx.tiers_served, grid, instant,
                                             per_query.max_source_resolution_ms.has_value(),
                                             ctx.tier_windows_cut)) {
      result.warnings.push_back(std::move(*warning));
    }
  }
  return result;
}

QueryEngine::QueryEngine(Storage& storage, EngineOptions options)
    : state_(std::make_unique<State>(storage, options)) {}

QueryEngine::~QueryEngine() = default;

const EngineOptions& QueryEngine::options() const { return state_->options; }

QueryResult QueryEngine::instant_query(std::string_view query, int64_t t_ms,
                                       const QueryOptions& per_query) {
  return state_->run(query, StepGrid{t_ms, t_ms, 1}, true, per_query);
}

QueryResult QueryEngine::range_query(std::string_view query, int64_t start_ms, int64_t end_ms,
                                     int64_t step_ms, const QueryOptions& per_query) {
  return state_->run(query, StepGrid{start_ms, end_ms, step_ms > 0 ? step_ms : 1}, false,
                     per_query);
}

}  // namespace mc::query
