#include "common/query/sliding_window_aggregate.hpp"

#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "tests/unit/query/function_step.hpp"

namespace mc::query {
namespace {

using testing::FunctionStep;
using testing::only_value;
using testing::window;

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::nan("");

// The function's own answer for these points: what the engine computed for
// every step before the window slid.
double recomputed(const std::string& function, std::span<const Sample> points, double phi) {
  const Value range = window(std::vector<Sample>(points.begin(), points.end()));
  if (function == "quantile_over_time") {
    return only_value(
        FunctionStep{"quantile_over_time(0.5, x[5m])", {testing::scalar(phi), range}}.run());
  }
  return only_value(FunctionStep{function + "(x[5m])", {range}}.run());
}

// Equal as the compliance check compares (relative 1e-12 here, far tighter
// than its 1e-5), and the same sign of zero where both are zero.
bool agrees(double expected, double actual) {
  if (std::isnan(expected)) return std::isnan(actual);
  if (expected == actual) return std::signbit(expected) == std::signbit(actual);
  return std::abs(expected - actual) <= 1e-12 * std::max(std::abs(expected), 1.0);
}

// Slides windows of `width` points by `stride` points over `values` and
// checks every step's answer against the function's (falling back to it
// where the aggregate declines, as the engine does). Returns how many steps
// it declined.
size_t check_sliding(const std::string& function, const std::vector<double>& values, size_t width,
                     size_t stride, double phi = 0.5) {
  std::vector<Sample> points;
  for (size_t i = 0; i < values.size(); ++i) {
    points.push_back(Sample{static_cast<int64_t>(i) * 15'000, values[i]});
  }
  SlidingWindowAggregate aggregate(*sliding_aggregate_for(function));
  size_t declined = 0;
  for (size_t end = 1; end <= points.size(); end += stride) {
    const size_t begin = end > width ? end - width : 0;
    const std::span<const Sample> step =
        std::span<const Sample>(points).subspan(begin, end - begin);
    const double expected = recomputed(function, step, phi);
    const std::optional<double> slid = aggregate.update(step, phi);
    if (!slid) {
      ++declined;
      continue;
    }
    INFO(function << " over points " << begin << ".." << end << ": expected " << expected
                  << ", slid " << *slid);
    CHECK(agrees(expected, *slid));
  }
  return declined;
}

TEST_CASE("sliding_aggregate_for names the functions it answers") {
  CHECK(sliding_aggregate_for("min_over_time") == SlidingAggregate::Min);
  CHECK(sliding_aggregate_for("avg_over_time") == SlidingAggregate::Avg);
  CHECK(sliding_aggregate_for("present_over_time") == SlidingAggregate::Present);
  CHECK_FALSE(sliding_aggregate_for("stddev_over_time"));
  CHECK(sliding_aggregate_for("quantile_over_time") == SlidingAggregate::Quantile);
  CHECK_FALSE(sliding_aggregate_for("rate"));
}

TEST_CASE("sliding aggregates equal the functions over random walks") {
  std::mt19937_64 random(12);
  std::normal_distribution<double> step(0, 0.3);
  std::vector<double> values;
  double level = 20;
  for (int i = 0; i < 3000; ++i) values.push_back(level += step(random));
  for (const char* function : {"min_over_time", "max_over_time", "sum_over_time", "avg_over_time",
                               "count_over_time", "last_over_time", "present_over_time"}) {
    for (const auto& [width, stride] :
         {std::pair<size_t, size_t>{240, 6}, {60, 40}, {20, 1}, {5, 9}, {1, 1}}) {
      // Declining is for windows with unusual values only.
      CHECK(check_sliding(function, values, width, stride) == 0);
    }
  }
}

TEST_CASE("sliding min and max: NaN, signed zeros, ties, as Prometheus's loop") {
  const std::vector<double> values = {kNaN, 3, -0.0, 0.0, kNaN, kNaN, kNaN, -0.0, 5,    5,   -kInf,
                                      kInf, 2, kNaN, 0.0, -0.0, 1,    1,    kNaN, kNaN, kNaN};
  for (const char* function : {"min_over_time", "max_over_time"}) {
    for (size_t width = 1; width <= 6; ++width) {
      for (size_t stride = 1; stride <= 3; ++stride) {
        check_sliding(function, values, width, stride);
      }
    }
  }
  // Every point NaN: NaN, as Prometheus's loop gives.
  SlidingWindowAggregate max(SlidingAggregate::Max);
  const std::vector<Sample> nans = {{0, kNaN}, {15'000, kNaN}};
  CHECK(std::isnan(*max.update(nans)));
  // -0 before 0: the earlier stays the minimum.
  SlidingWindowAggregate min(SlidingAggregate::Min);
  const std::vector<Sample> zeros = {{0, -0.0}, {15'000, 0.0}};
  CHECK(std::signbit(*min.update(zeros)));
}

TEST_CASE("sliding min and max over random runs of NaN, signed zeros, infinities and ties") {
  // Each window's extreme is combined from a run of the back and a point of
  // the front; every grouping must give the loop's answer, sign of zero too.
  std::mt19937_64 random(7);
  const std::vector<double> kinds = {kNaN, -0.0, 0.0, 1, -1, kInf, -kInf, 1, -1};
  std::uniform_int_distribution<size_t> pick(0, kinds.size() - 1);
  std::vector<double> values;
  for (int i = 0; i < 600; ++i) values.push_back(kinds[pick(random)]);
  for (const char* function : {"min_over_time", "max_over_time"}) {
    for (const auto& [width, stride] : {std::pair<size_t, size_t>{1, 1},
                                        {2, 1},
                                        {7, 1},
                                        {7, 3},
                                        {7, 7},
                                        {7, 8},
                                        {30, 4},
                                        {3, 11}}) {
      CHECK(check_sliding(function, values, width, stride) == 0);
    }
  }
}

TEST_CASE("sliding sum and avg decline where a NaN, an infinity or a huge value is in the window") {
  SlidingWindowAggregate sum(SlidingAggregate::Sum);
  const std::vector<Sample> points = {{0, 1}, {15'000, kInf}, {30'000, 2}, {45'000, 3}};
  CHECK(*sum.update(std::span(points).first(1)) == 1);
  CHECK_FALSE(sum.update(std::span(points).first(2)));
  CHECK_FALSE(sum.update(std::span(points).subspan(1, 2)));
  // The infinity left: the running sum is right again.
  CHECK(*sum.update(std::span(points).subspan(2, 2)) == 5);

  SlidingWindowAggregate avg(SlidingAggregate::Avg);
  const std::vector<Sample> huge = {{0, 1e308}, {15'000, 1e308}, {30'000, 4}, {45'000, 6}};
  CHECK_FALSE(avg.update(std::span(huge).first(2)));
  CHECK(*avg.update(std::span(huge).subspan(2, 2)) == 5);

  // The functions' answers on such windows, which the engine then uses.
  for (const char* function : {"sum_over_time", "avg_over_time"}) {
    check_sliding(function, {1, kNaN, 2, kInf, 3, -kInf, 4, 1e300, 5, -1e300, 6, 7, 8, 9}, 3, 1);
  }
}

TEST_CASE("sliding sum keeps what a plain running sum loses") {
  // 1e100 enters and leaves: a plain double would keep 0 for the ones it
  // swallowed; the double-double keeps them.
  SlidingWindowAggregate sum(SlidingAggregate::Sum);
  const std::vector<Sample> points = {{0, 1e100}, {15'000, 1}, {30'000, 1}, {45'000, 1}};
  CHECK(*sum.update(std::span(points).first(3)) == 1e100);
  CHECK(*sum.update(std::span(points).subspan(1, 3)) == 3);
  // Values of alternating sign and far apart in magnitude, as a random test.
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> exponent(-20, 20);
  std::vector<double> values;
  for (int i = 0; i < 2000; ++i) {
    values.push_back((i % 2 == 0 ? 1 : -1) * std::pow(10.0, exponent(random)));
  }
  for (const char* function : {"sum_over_time", "avg_over_time"}) {
    CHECK(check_sliding(function, values, 50, 7) == 0);
  }
}

TEST_CASE("sliding quantile_over_time equals the function: NaN sorted first, ties, infinities") {
  std::mt19937_64 random(3);
  std::uniform_int_distribution<int> small(0, 9);
  std::vector<double> values;
  for (int i = 0; i < 1500; ++i) {
    const int pick = small(random);
    values.push_back(pick == 0 ? kNaN : pick == 1 ? kInf : pick == 2 ? -kInf : small(random) * 0.5);
  }
  for (const double phi : {0.0, 0.25, 0.5, 0.95, 1.0, -0.5, 1.5, kNaN}) {
    for (const auto& [width, stride] :
         {std::pair<size_t, size_t>{120, 6}, {40, 27}, {7, 1}, {1, 1}, {3, 5}}) {
      INFO("phi " << phi);
      CHECK(check_sliding("quantile_over_time", values, width, stride, phi) == 0);
    }
  }
}

TEST_CASE("worth_sliding: where windows overlap enough, and never for one step") {
  constexpr int64_t kMinuteMs = 60'000;
  // min/max: a point in three windows or more.
  CHECK(worth_sliding(SlidingAggregate::Min, 10 * kMinuteMs, 86'000, 1000));
  CHECK(worth_sliding(SlidingAggregate::Max, 15 * kMinuteMs, 5 * kMinuteMs, 1000));
  CHECK_FALSE(worth_sliding(SlidingAggregate::Max, 15 * kMinuteMs, 605'000, 1000));
  // sum/avg: any overlap.
  CHECK(worth_sliding(SlidingAggregate::Avg, 60 * kMinuteMs, 59 * kMinuteMs, 1000));
  CHECK_FALSE(worth_sliding(SlidingAggregate::Sum, 60 * kMinuteMs, 60 * kMinuteMs, 1000));
  // Windows pinned by @ do not move: always.
  CHECK(worth_sliding(SlidingAggregate::Min, 60 * kMinuteMs, 0, 1000));
  // One step: the function computes it as Prometheus does.
  CHECK_FALSE(worth_sliding(SlidingAggregate::Avg, 60 * kMinuteMs, 0, 1));
  CHECK_FALSE(worth_sliding(SlidingAggregate::Min, 60 * kMinuteMs, 0, 1));
  // No points needed at all.
  CHECK(worth_sliding(SlidingAggregate::Count, 60 * kMinuteMs, 0, 1));
  CHECK(worth_sliding(SlidingAggregate::Last, kMinuteMs, 60 * kMinuteMs, 1000));
}

}  // namespace
}  // namespace mc::query
