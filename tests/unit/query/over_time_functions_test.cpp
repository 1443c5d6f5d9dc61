#include "common/query/over_time_functions.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <vector>

#include "tests/unit/query/function_step.hpp"

namespace mc::query {
namespace {

using testing::evenly_spaced;
using testing::FunctionStep;
using testing::only_value;
using testing::scalar;

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::nan("");

double over(const std::string& function, const std::vector<double>& values) {
  return only_value(FunctionStep{function + "(x[5m])", {evenly_spaced(0, 10'000, values)}}.run());
}

double quantile_of(double phi, const std::vector<double>& values) {
  return only_value(FunctionStep{"quantile_over_time(0.5, x[5m])",
                                 {scalar(phi), evenly_spaced(0, 10'000, values)}}
                        .run());
}

TEST_CASE("_over_time: each aggregation of 1 2 3 4") {
  const std::vector<double> values = {1, 2, 3, 4};
  CHECK(over("avg_over_time", values) == 2.5);
  CHECK(over("min_over_time", values) == 1);
  CHECK(over("max_over_time", values) == 4);
  CHECK(over("sum_over_time", values) == 10);
  CHECK(over("count_over_time", values) == 4);
  // Mean 2.5; squared deviations 2.25 .25 .25 2.25 over 4.
  CHECK(over("stdvar_over_time", values) == Approx(1.25));
  CHECK(over("stddev_over_time", values) == Approx(std::sqrt(1.25)));
  CHECK(over("last_over_time", values) == 4);
  CHECK(over("present_over_time", values) == 1);
}

TEST_CASE("sum_over_time and avg_over_time keep what naive sums lose") {
  // Kahan: 1 + 1e100 + 1 - 1e100 is 2, not 0.
  CHECK(over("sum_over_time", {1, 1e100, 1, -1e100}) == 2);
  // The incremental mean does not overflow where the sum would.
  CHECK(over("avg_over_time", {1e308, 1e308}) == 1e308);
  CHECK(over("avg_over_time", {kInf, 1}) == kInf);
  CHECK(over("avg_over_time", {1, kInf, 1}) == kInf);
  CHECK(std::isnan(over("avg_over_time", {kInf, -kInf})));
  CHECK(std::isnan(over("avg_over_time", {kInf, kNaN})));
  CHECK(over("sum_over_time", {kInf, 1}) == kInf);
  CHECK(over("stdvar_over_time", {5, 5, 5}) == 0);
}

TEST_CASE("stdvar and stddev_over_time (2.42's cases)") {
  // 0 8 8 2 3: mean 4.2, squared deviations 17.64 14.44 14.44 4.84 1.44.
  CHECK(over("stdvar_over_time", {0, 8, 8, 2, 3}) == Approx(10.56));
  CHECK(over("stddev_over_time", {0, 8, 8, 2, 3}) == Approx(3.249615));
  // Prometheus issue 4927: a constant with many digits is exactly 0, not a
  // rounding residue (the compensated sums see to that).
  const double v = 1.5990505637277868;
  CHECK(over("stdvar_over_time", {v, v, v}) == 0);
  CHECK(over("stddev_over_time", {v, v, v}) == 0);
}

TEST_CASE("min and max_over_time skip NaN unless it is all there is") {
  CHECK(over("min_over_time", {kNaN, 3, 1}) == 1);
  CHECK(over("max_over_time", {kNaN, 3, 1}) == 3);
  CHECK(std::isnan(over("max_over_time", {kNaN, kNaN})));
  CHECK(over("max_over_time", {-kInf, -5}) == -5);
}

// The loop of Prometheus 2.42's min/max_over_time, one value at a time.
double reference_extreme(const std::vector<double>& values, bool max) {
  double best = values.front();
  for (const double v : values) {
    if ((max ? v > best : v < best) || std::isnan(best)) best = v;
  }
  return best;
}

uint64_t bits_of(double v) {
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

TEST_CASE("min and max_over_time give the bits of 2.42's loop: NaNs, +0 and -0, any length") {
  // Values drawn from a small set so that ties, zeros of both signs and NaNs
  // with two payloads come up often; windows of 1 to 23 values.
  const double kPool[] = {kNaN, -kNaN, 0.0, -0.0, 1, -1, 2, kInf, -kInf, 1e300, -1e-300};
  uint64_t state = 12345;
  for (int round = 0; round < 3000; ++round) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const size_t length = 1 + (state >> 33) % 23;
    std::vector<double> values;
    for (size_t i = 0; i < length; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      values.push_back(kPool[(state >> 33) % std::size(kPool)]);
    }
    for (const bool max : {false, true}) {
      INFO((max ? "max" : "min") << " of window " << round << " (" << length << " values)");
      REQUIRE(bits_of(over(max ? "max_over_time" : "min_over_time", values)) ==
              bits_of(reference_extreme(values, max)));
    }
  }
}

TEST_CASE("quantile_over_time interpolates between ranks") {
  const std::vector<double> values = {4, 1, 3, 2};  // sorted: 1 2 3 4
  CHECK(quantile_of(0, values) == 1);
  CHECK(quantile_of(0.5, values) == 2.5);    // rank 1.5
  CHECK(quantile_of(0.75, values) == 3.25);  // rank 2.25
  CHECK(quantile_of(1, values) == 4);
  CHECK(quantile_of(-1, values) == -kInf);
  CHECK(quantile_of(2, values) == kInf);
  // NaN sorts first: of NaN 1 2, the median is 1.
  CHECK(quantile_of(0.5, {2, kNaN, 1}) == 1);
}

TEST_CASE("quantile_over_time: a NaN quantile is NaN, as since Prometheus 2.34") {
  CHECK(std::isnan(quantile_of(kNaN, {1, 2})));
}

TEST_CASE("_over_time: an empty window gives no value, a wrong argument an error") {
  auto empty = FunctionStep{"sum_over_time(x[5m])", {testing::window({})}}.run();
  REQUIRE(empty.is_ok());
  CHECK(empty->empty());
  auto wrong = FunctionStep{"avg_over_time(x[5m])", {scalar(1)}}.run();
  REQUIRE_FALSE(wrong.is_ok());
  CHECK(wrong.error() ==
        "internal error: argument 1 of avg_over_time() is not a range vector of one series");
  auto no_phi = FunctionStep{"quantile_over_time(0.5, x[5m])", {evenly_spaced(0, 1, {1})}}.run();
  CHECK_FALSE(no_phi.is_ok());
}

}  // namespace
}  // namespace mc::query
