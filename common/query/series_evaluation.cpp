#include "common/query/series_evaluation.hpp"

#include <atomic>
#include <exception>
#include <mutex>
#include <new>
#include <optional>
#include <vector>

#include "common/query/eval_failure.hpp"
#include "common/query/query_workers.hpp"

namespace mc::query {
namespace {

void charge(QueryLimits& limits, const SampleTally& tally) {
  limits.take_samples(tally.peak);
  limits.release_samples(tally.peak - tally.held);
}

bool worth_sharing(const EvalContext& ctx, size_t series, int64_t span_ms) {
  if (ctx.workers == nullptr || ctx.workers->helpers() == 0 || series < 2) return false;
  constexpr int64_t kHourMs = 3'600'000;
  // In series-milliseconds, compared without overflow.
  return span_ms >= kSeriesHoursWorthSharing * kHourMs / static_cast<int64_t>(series);
}

}  // namespace

void for_each_series(EvalContext& ctx, size_t series, int64_t span_ms,
                     const std::function<void(size_t, SampleTally&)>& task) {
  if (!worth_sharing(ctx, series, span_ms)) {
    for (size_t i = 0; i < series; ++i) {
      SampleTally tally;
      task(i, tally);
      charge(ctx.limits, tally);
    }
    return;
  }
  // Each series' tally or error, kept as values: an exception thrown on a
  // helper is caught there and thrown again on this thread, never handed over.
  struct Outcome {
    bool done = false;
    SampleTally tally;
    std::optional<QueryError> error;
    bool out_of_memory = false;
  };
  std::vector<Outcome> outcomes(series);
  std::mutex mutex;
  size_t charged = 0;  // outcomes[0, charged) are charged, under `mutex`
  std::optional<QueryError> first_error;
  bool out_of_memory = false;
  std::atomic<bool> stopped{false};  // an error in series order: skip the rest
  ctx.workers->run(series, [&](size_t i) {
    if (stopped.load(std::memory_order_relaxed)) return;
    Outcome outcome;
    try {
      task(i, outcome.tally);
    } catch (const EvalFailure& failed) {
      outcome.error = failed.error;
    } catch (const std::bad_alloc&) {
      outcome.out_of_memory = true;
    } catch (const std::exception& error) {
      // As engine.cpp reports a library's exception.
      outcome.error = QueryError{QueryErrorKind::Internal, error.what()};
    }
    std::lock_guard lock(mutex);
    outcomes[i] = std::move(outcome);
    outcomes[i].done = true;
    while (!stopped.load(std::memory_order_relaxed) && charged < series && outcomes[charged].done) {
      const Outcome& next = outcomes[charged++];
      if (next.error || next.out_of_memory) {
        first_error = next.error;
        out_of_memory = next.out_of_memory;
        stopped.store(true, std::memory_order_relaxed);
        break;
      }
      try {
        charge(ctx.limits, next.tally);
      } catch (const EvalFailure& failed) {
        first_error = failed.error;
        stopped.store(true, std::memory_order_relaxed);
      }
    }
  });
  if (out_of_memory) throw std::bad_alloc();
  if (first_error) throw EvalFailure{std::move(*first_error)};
}

}  // namespace mc::query
