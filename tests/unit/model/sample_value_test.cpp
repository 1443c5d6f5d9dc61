// StaleNaN is told apart from other NaNs by its exact bits; the store and the
// writers depend on that.
#include "common/model/sample_value.hpp"

#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>

TEST_CASE("stale_nan has Prometheus's exact bits", "[sample]") {
  CHECK(std::bit_cast<uint64_t>(mc::stale_nan()) == 0x7ff0000000000002ULL);
  CHECK(mc::kStaleNaNBits == 0x7ff0000000000002ULL);
  CHECK(std::isnan(mc::stale_nan()));
  CHECK(mc::is_stale_nan(mc::stale_nan()));
}

TEST_CASE("ordinary NaNs and numbers are not stale", "[sample]") {
  CHECK_FALSE(mc::is_stale_nan(std::numeric_limits<double>::quiet_NaN()));
  CHECK_FALSE(mc::is_stale_nan(std::bit_cast<double>(0x7ff8000000000001ULL)));  // Prometheus NaN
  CHECK_FALSE(mc::is_stale_nan(std::bit_cast<double>(0xfff0000000000002ULL)));  // sign bit set
  CHECK_FALSE(mc::is_stale_nan(0.0));
  CHECK_FALSE(mc::is_stale_nan(std::numeric_limits<double>::infinity()));
}

TEST_CASE("same_bits compares representations, not values", "[sample]") {
  double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(mc::same_bits(nan, nan));
  CHECK(mc::same_bits(mc::stale_nan(), mc::stale_nan()));
  CHECK_FALSE(mc::same_bits(nan, mc::stale_nan()));
  CHECK_FALSE(mc::same_bits(0.0, -0.0));  // equal as doubles, different bits
  CHECK(mc::same_bits(1.5, 1.5));
}

TEST_CASE("a Sample defaults to zero", "[sample]") {
  mc::Sample sample;
  CHECK(sample.t_ms == 0);
  CHECK(sample.v == 0);
}
