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

// Below this many output points (series × steps) a query keeps to its own
// thread: waking a helper costs tens of microseconds.
inline constexpr size_t kPointsWorthSharing = 4096;

void for_each_series(EvalContext& ctx, size_t series, size_t steps,
                     const std::function<void(size_t, SampleTally&)>& task);

}  // namespace mc::query
