// Evaluates a selector's series one by one or, when the query is long enough
// to be worth it, spread over the engine's QueryWorkers, with the same answer
// and the same errors either way.
//
// A series' task counts the samples it holds in its own SampleTally instead
// of the query's limits; the tallies are charged to the limits in series
// order as soon as every series before them is charged. So a query fails with
// "too many samples" exactly when an evaluation in series order on one thread
// would, and of several errors the one of the first series in order is
// reported (a timeout excepted: that one depends on the clock anyway).
//
// Thread-safety: a task may run on any thread; it must touch only its own
// series and output slot, and the query's limits only through its tally.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "common/query/eval_context.hpp"

namespace mc::query {

struct SampleTally {
  uint64_t held = 0;
  uint64_t peak = 0;

  void take(uint64_t n) {
    held += n;
    if (held > peak) peak = held;
  }
  void release(uint64_t n) { held -= n < held ? n : held; }
};

// Below this many series-hours read (series × the time the reads span) a
// query keeps to its own thread: ~2 ms of decoding at a 15 s scrape interval,
// 30 ms at 1 s. A helper costs tens of microseconds to wake, and on a busy
// machine a helper that loses its CPU mid-series holds the whole query back
// (a 1-hour query measured 5 ms instead of 1 with helpers beside a soak).
inline constexpr int64_t kSeriesHoursWorthSharing = 64;

// `span_ms`: the time the series' reads cover (the grid plus the lookback or
// the range).
void for_each_series(EvalContext& ctx, size_t series, int64_t span_ms,
                     const std::function<void(size_t, SampleTally&)>& task);

}  // namespace mc::query
