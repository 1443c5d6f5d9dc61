// for_each_series: helpers join only past kSeriesHoursWorthSharing; with them,
// the error reported is the first in series order whichever finishes first,
// and samples are charged to the limits in series order.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "common/query/eval_context.hpp"
#include "common/query/eval_failure.hpp"
#include "common/query/query_workers.hpp"
#include "common/query/series_evaluation.hpp"
#include "common/store/head_storage.hpp"

namespace mc::query {
namespace {

constexpr int64_t kHourMs = 3'600'000;

struct Fixture {
  explicit Fixture(size_t helpers, uint64_t max_samples = 1'000'000)
      : workers(helpers),
        limits(std::chrono::steady_clock::now() + std::chrono::minutes(1), max_samples) {
    ctx.workers = &workers;
  }

  // The threads that ran `series` tasks of a millisecond each.
  size_t threads_used(size_t series, int64_t span_ms) {
    std::mutex mutex;
    std::vector<std::thread::id> threads;
    for_each_series(ctx, series, span_ms, [&](size_t, SampleTally&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      std::lock_guard lock(mutex);
      if (std::find(threads.begin(), threads.end(), std::this_thread::get_id()) == threads.end())
        threads.push_back(std::this_thread::get_id());
    });
    return threads.size();
  }

  HeadStorage head;
  EngineOptions options;
  QueryWorkers workers;
  QueryLimits limits;
  EvalContext ctx{head, options, limits};
};

TEST_CASE("series evaluation: helpers join only where the series-hours are worth it",
          "[query][workers]") {
  Fixture fixture(2);
  CHECK(fixture.threads_used(64, kHourMs) > 1);
  CHECK(fixture.threads_used(32, 2 * kHourMs) > 1);
  CHECK(fixture.threads_used(63, kHourMs) == 1);
  CHECK(fixture.threads_used(1, 1000 * kHourMs) == 1);
  Fixture alone(0);
  CHECK(alone.threads_used(64, 10 * kHourMs) == 1);
}

TEST_CASE("series evaluation: the first error in series order wins, not the first in time",
          "[query][workers]") {
  Fixture fixture(2);
  std::atomic<bool> later_failed{false};
  try {
    for_each_series(fixture.ctx, 40, 10 * kHourMs, [&](size_t i, SampleTally&) {
      if (i == 5) {
        // Fails only after series 30 has.
        while (!later_failed.load()) std::this_thread::sleep_for(std::chrono::microseconds(100));
        fail_evaluation(QueryErrorKind::Execution, "series 5 failed");
      }
      if (i == 30) {
        later_failed.store(true);
        fail_evaluation(QueryErrorKind::Execution, "series 30 failed");
      }
    });
    FAIL("no error");
  } catch (const EvalFailure& failed) {
    CHECK(failed.error.message == "series 5 failed");
  }
}

TEST_CASE("series evaluation: samples are charged in series order, as one thread would",
          "[query][workers]") {
  // Each series holds 10 samples at its peak and keeps 4: one thread fails at
  // the 16th series (15 * 4 kept + 10 > 69) whatever order the helpers finish in.
  for (const size_t helpers : {size_t{0}, size_t{2}}) {
    Fixture fixture(helpers, 69);
    try {
      for_each_series(fixture.ctx, 200, 10 * kHourMs, [&](size_t, SampleTally& tally) {
        tally.take(10);
        tally.release(6);
      });
      FAIL("no error");
    } catch (const EvalFailure& failed) {
      CHECK(failed.error.kind == QueryErrorKind::Execution);
    }
    CHECK(fixture.limits.samples_held() == 60);
  }
}

}  // namespace
}  // namespace mc::query
