#include "common/query/trend_functions.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "tests/unit/query/function_step.hpp"

namespace mc::query {
namespace {

using testing::evenly_spaced;
using testing::FunctionStep;
using testing::only_value;
using testing::scalar;

constexpr int64_t kMinute = 60'000;

TEST_CASE("deriv: the least-squares slope per second") {
  FunctionStep exact{"deriv(x[5m])",
                     {evenly_spaced(0, kMinute, {0, 10, 20, 30})},
                     3 * kMinute,
                     -2 * kMinute,
                     3 * kMinute};
  CHECK(only_value(exact.run()) == Approx(10.0 / 60));
  // Points off the line: x = 0, 60, 120; y = 0, 30, 30. Slope = cov/var =
  // (sum xy - sum x sum y / n) / (sum x² - (sum x)² / n) = 1800 / 7200.
  FunctionStep scattered{"deriv(x[5m])",
                         {evenly_spaced(0, kMinute, {0, 30, 30})},
                         2 * kMinute,
                         -3 * kMinute,
                         2 * kMinute};
  CHECK(only_value(scattered.run()) == Approx(0.25));
}

TEST_CASE("deriv: a constant series has slope 0, an infinite one NaN") {
  FunctionStep constant{"deriv(x[5m])", {evenly_spaced(0, kMinute, {7, 7, 7})}, 0, 0, 0};
  CHECK(only_value(constant.run()) == 0);
  const double inf = std::numeric_limits<double>::infinity();
  FunctionStep infinite{"deriv(x[5m])", {evenly_spaced(0, kMinute, {inf, inf})}, 0, 0, 0};
  CHECK(std::isnan(only_value(infinite.run())));
  FunctionStep single{"deriv(x[5m])", {evenly_spaced(0, kMinute, {1})}, 0, 0, 0};
  auto result = single.run();
  REQUIRE(result.is_ok());
  CHECK(result->empty());
}

TEST_CASE("predict_linear: the line's value that many seconds after the evaluation time") {
  // y = t in seconds, evaluated at 2m: 120 now, 180 a minute later.
  FunctionStep step{"predict_linear(x[5m], 60)",
                    {evenly_spaced(0, kMinute, {0, 60, 120}), scalar(60)},
                    2 * kMinute,
                    -3 * kMinute,
                    2 * kMinute};
  CHECK(only_value(step.run()) == Approx(180));
  // With an offset the window ends earlier but the intercept stays at the
  // evaluation time: evaluated at 10m, the line says 600 + 60.
  step.t_ms = 10 * kMinute;
  CHECK(only_value(step.run()) == Approx(660));
}

TEST_CASE("deriv and predict_linear over a counter reset (2.42's worked example)") {
  // x = 0, 300, ..., 3000 s; y = 0 10 20 30 40 0 10 20 30 40 50: sums 16500,
  // 250, 480000, 34650000 over 11; cov 105000, var 9900000.
  const auto points =
      testing::evenly_spaced(0, 5 * kMinute, {0, 10, 20, 30, 40, 0, 10, 20, 30, 40, 50});
  FunctionStep deriv{"deriv(x[100m])", {points}, 50 * kMinute, -50 * kMinute, 50 * kMinute};
  CHECK(only_value(deriv.run()) == Approx(0.010606060606060607).epsilon(1e-12));
  // Intercept at 3000 s is 38.636..., an hour on 76.818...
  FunctionStep predict{"predict_linear(x[100m], 3600)",
                       {points, scalar(3600)},
                       50 * kMinute,
                       -50 * kMinute,
                       50 * kMinute};
  CHECK(only_value(predict.run()) == Approx(76.81818181818181).epsilon(1e-12));
  // "@ 3000" keeps the window; at 10m the line is read at 600 s + 3600 s.
  predict.t_ms = 10 * kMinute;
  CHECK(only_value(predict.run()) == Approx(51.36363636363637).epsilon(1e-12));
}

TEST_CASE("holt_winters: double exponential smoothing") {
  // 1 2 4, sf = tf = 0.5: s = 1, b = 1; then s = .5*2 + .5*(1+1) = 2;
  // b = .5*(2-1) + .5*1 = 1, s = .5*4 + .5*(2+1) = 3.5.
  FunctionStep step{"holt_winters(x[5m], 0.5, 0.5)",
                    {evenly_spaced(0, kMinute, {1, 2, 4}), scalar(0.5), scalar(0.5)}};
  CHECK(only_value(step.run()) == Approx(3.5));
  FunctionStep single{"holt_winters(x[5m], 0.5, 0.5)",
                      {evenly_spaced(0, kMinute, {1}), scalar(0.5), scalar(0.5)}};
  auto result = single.run();
  REQUIRE(result.is_ok());
  CHECK(result->empty());
}

TEST_CASE("holt_winters: factors outside (0, 1) fail as 2.42 words it") {
  const auto points = evenly_spaced(0, kMinute, {1, 2, 4});
  FunctionStep smoothing{"holt_winters(x[5m], 1, 0.5)", {points, scalar(1), scalar(0.5)}};
  auto result = smoothing.run();
  REQUIRE_FALSE(result.is_ok());
  CHECK(result.error() == "invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000");
  FunctionStep trend{"holt_winters(x[5m], 0.5, 0)", {points, scalar(0.5), scalar(0)}};
  result = trend.run();
  REQUIRE_FALSE(result.is_ok());
  CHECK(result.error() == "invalid trend factor. Expected: 0 < tf < 1, got: 0.000000");
  FunctionStep infinite{"holt_winters(x[5m], 0.5, 0)",
                        {points, scalar(-std::numeric_limits<double>::infinity()), scalar(0.5)}};
  result = infinite.run();
  REQUIRE_FALSE(result.is_ok());
  CHECK(result.error() == "invalid smoothing factor. Expected: 0 < sf < 1, got: -Inf");
  // NaN passes 2.42's comparisons and smooths to NaN.
  FunctionStep nan{"holt_winters(x[5m], 0.5, 0.5)", {points, scalar(std::nan("")), scalar(0.5)}};
  CHECK(std::isnan(only_value(nan.run())));
}

TEST_CASE("trend functions: missing or mistyped arguments are errors") {
  FunctionStep no_scalar{"predict_linear(x[5m], 60)", {evenly_spaced(0, kMinute, {1, 2})}};
  auto result = no_scalar.run();
  REQUIRE_FALSE(result.is_ok());
  CHECK(result.error() == "internal error: argument 2 of predict_linear() is not a scalar");
  FunctionStep vector_given{"deriv(x[5m])", {Vector{}}};
  CHECK_FALSE(vector_given.run().is_ok());
}

}  // namespace
}  // namespace mc::query
