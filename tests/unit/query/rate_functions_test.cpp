#include "common/query/rate_functions.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "tests/unit/query/function_step.hpp"

namespace mc::query {
namespace {

using testing::evenly_spaced;
using testing::FunctionStep;
using testing::only_value;
using testing::window;

constexpr int64_t kMinute = 60'000;

// The window of `query` evaluated at end_ms over range_ms, no offset.
FunctionStep at(std::string query, Value points, int64_t end_ms, int64_t range_ms) {
  return FunctionStep{std::move(query), {std::move(points)}, end_ms, end_ms - range_ms, end_ms};
}

TEST_CASE("rate: points covering the whole window are not extrapolated") {
  // 0, 80, ..., 800 every 5m; rate over the 50m that hold them: 800 / 3000 s.
  std::vector<double> values;
  for (int i = 0; i <= 10; ++i) values.push_back(80.0 * i);
  const auto step =
      at("rate(x[50m])", evenly_spaced(0, 5 * kMinute, values), 50 * kMinute, 50 * kMinute);
  CHECK(only_value(step.run()) == Approx(800.0 / 3000));
}

TEST_CASE("increase: a counter reset adds the value before it back") {
  // 0 1 2 3 2 3 4: 3 -> 2 is a reset, as if 3 0 1 2: 4 + 3 = 7.
  const auto step = at("increase(x[30m])", evenly_spaced(0, 5 * kMinute, {0, 1, 2, 3, 2, 3, 4}),
                       30 * kMinute, 30 * kMinute);
  CHECK(only_value(step.run()) == Approx(7));
}

TEST_CASE("rate: a series starting inside the window extrapolates to its zero point") {
  // 240 480 720 at 0, 4m, 8m; window [-10m, 10m]. Zero point 4m before the
  // first point (< 1.1 x 4m): 480 over 8m + 4m + 2m = 840, per 1200 s.
  const auto step = at("rate(x[20m])", evenly_spaced(0, 4 * kMinute, {240, 480, 720}), 10 * kMinute,
                       20 * kMinute);
  CHECK(only_value(step.run()) == Approx(0.7));
}

TEST_CASE("rate: 2.42 applies the zero point before the 1.1 x interval threshold") {
  // 300 540 780: the zero point is 5m before the first point, beyond 1.1 x 4m,
  // so only half an interval (2m) is added: 480 x 12/8 = 720, per 1200 s.
  const auto step = at("rate(x[20m])", evenly_spaced(0, 4 * kMinute, {300, 540, 780}), 10 * kMinute,
                       20 * kMinute);
  CHECK(only_value(step.run()) == Approx(0.6));
}

TEST_CASE("increase: a series ending early extrapolates half an interval") {
  // 0 10 20 at 0, 1m, 2m; window [0, 5m]: 3m after the last point is beyond
  // 1.1 x 1m, so 30 s are added: 20 x 150/120 = 25.
  const auto values = evenly_spaced(0, kMinute, {0, 10, 20});
  CHECK(only_value(at("increase(x[5m])", values, 5 * kMinute, 5 * kMinute).run()) == Approx(25));
  CHECK(only_value(at("rate(x[5m])", values, 5 * kMinute, 5 * kMinute).run()) ==
        Approx(25.0 / 300));
}

TEST_CASE("delta: gauges go down and are extrapolated without a zero point") {
  const auto falling = evenly_spaced(0, 5 * kMinute, {200, 150, 100, 50, 0});
  CHECK(only_value(at("delta(x[20m])", falling, 20 * kMinute, 20 * kMinute).run()) == Approx(-200));
  // A gauge starting at 10 and rising: extrapolated 1 min back past 0
  // (delta knows no zero point), 30 s forward.
  const auto rising = evenly_spaced(kMinute, kMinute, {10, 20, 30});
  CHECK(only_value(at("delta(x[4m])", rising, 4 * kMinute, 4 * kMinute).run()) ==
        Approx(20.0 * (120 + 60 + 60) / 120));
}

TEST_CASE("rate: the window's range is what a per-second rate divides by, offset or not") {
  // rate(x[10m] offset 5m) at 50m: window [35m, 45m], points at 35m, 40m, 45m.
  FunctionStep step{"rate(x[10m] offset 5m)",
                    {evenly_spaced(35 * kMinute, 5 * kMinute, {70, 80, 90})},
                    50 * kMinute,
                    35 * kMinute,
                    45 * kMinute};
  CHECK(only_value(step.run()) == Approx(20.0 / 600));
}

TEST_CASE("rate, increase, delta: fewer than two points give no value") {
  for (const char* query : {"rate(x[5m])", "increase(x[5m])", "delta(x[5m])"}) {
    INFO(query);
    auto one = at(query, evenly_spaced(0, kMinute, {5}), 5 * kMinute, 5 * kMinute).run();
    REQUIRE(one.is_ok());
    CHECK(one->empty());
  }
}

TEST_CASE("irate and idelta: the last two points") {
  const auto reset = evenly_spaced(0, kMinute, {3, 10, 5});
  // 10 -> 5 is a reset: 5 counted over 60 s.
  CHECK(only_value(at("irate(x[5m])", reset, 5 * kMinute, 5 * kMinute).run()) == Approx(5.0 / 60));
  CHECK(only_value(at("idelta(x[5m])", reset, 5 * kMinute, 5 * kMinute).run()) == Approx(-5));
  const auto rising = evenly_spaced(0, 30'000, {1, 2, 8});
  CHECK(only_value(at("irate(x[5m])", rising, 5 * kMinute, 5 * kMinute).run()) == Approx(6.0 / 30));
  auto single = at("irate(x[5m])", evenly_spaced(0, kMinute, {1}), kMinute, 5 * kMinute).run();
  REQUIRE(single.is_ok());
  CHECK(single->empty());
}

TEST_CASE("resets and changes count over the window") {
  const auto values = evenly_spaced(0, 5 * kMinute, {1, 2, 3, 0, 1, 0, 0, 1, 2, 0});
  CHECK(only_value(at("resets(x[50m])", values, 50 * kMinute, 50 * kMinute).run()) == 3);
  CHECK(only_value(at("changes(x[50m])", values, 50 * kMinute, 50 * kMinute).run()) == 8);
  // NaN to NaN is no change; a number to NaN and back is two.
  const double nan = std::nan("");
  CHECK(only_value(at("changes(x[15m])", evenly_spaced(0, 5 * kMinute, {nan, nan, nan}),
                      15 * kMinute, 15 * kMinute)
                       .run()) == 0);
  CHECK(only_value(at("changes(x[15m])", evenly_spaced(0, 5 * kMinute, {0, nan, 0}), 15 * kMinute,
                      15 * kMinute)
                       .run()) == 2);
  CHECK(only_value(
            at("resets(x[5m])", evenly_spaced(0, kMinute, {7}), kMinute, 5 * kMinute).run()) == 0);
}

TEST_CASE("rate functions: an argument that is not a one-series range vector is an error") {
  FunctionStep instant{"rate(x[5m])", {Vector{}}, 0, 0, 0};
  auto result = instant.run();
  REQUIRE_FALSE(result.is_ok());
  CHECK(result.error() ==
        "internal error: argument 1 of rate() is not a range vector of one series");
  FunctionStep two_series{"irate(x[5m])", {Matrix{MatrixSeries{}, MatrixSeries{}}}, 0, 0, 0};
  CHECK_FALSE(two_series.run().is_ok());
  FunctionStep missing{"resets(x[5m])", {}, 0, 0, 0};
  CHECK_FALSE(missing.run().is_ok());
}

}  // namespace
}  // namespace mc::query
