// Inputs shared by the column codec tests: named value and timestamp columns,
// from the ordinary (a counter, a jittered scrape) to the adversarial (every
// NaN payload, int64 extremes). Deterministic: fixed seeds.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace mc::columnar::testing {

struct ValueInput {
  std::string name;
  std::vector<double> values;
};

struct TimestampInput {
  std::string name;
  std::vector<int64_t> timestamps;
};

inline bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * 8) == 0);
}

inline double from_bits(uint64_t bits) { return std::bit_cast<double>(bits); }
inline constexpr uint64_t kStaleNanBits = 0x7ff0000000000002;

namespace detail {

inline std::vector<double> decimals(std::mt19937_64& random, int digits, size_t count,
                                    double scale) {
  std::uniform_real_distribution<double> uniform(-scale, scale);
  std::vector<double> values;
  const double power = std::pow(10.0, digits);
  for (size_t i = 0; i < count; ++i) values.push_back(std::round(uniform(random) * power) / power);
  return values;
}

}  // namespace detail

inline std::vector<ValueInput> value_inputs() {
  std::mt19937_64 random(42);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const double stale = from_bits(kStaleNanBits);
  std::vector<ValueInput> inputs;
  inputs.push_back({"empty", {}});
  inputs.push_back({"single", {1.5}});
  inputs.push_back({"single stale marker", {stale}});
  inputs.push_back({"single negative zero", {-0.0}});
  inputs.push_back({"constant", std::vector<double>(300, 42.25)});
  inputs.push_back({"constant zero", std::vector<double>(300, 0.0)});
  inputs.push_back({"constant stale", std::vector<double>(200, stale)});

  std::vector<double> bits_random;
  for (int i = 0; i < 500; ++i) bits_random.push_back(from_bits(random()));
  inputs.push_back({"random bits (any NaN payload, denormals, infinities)", bits_random});
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<double> random_doubles;
  for (int i = 0; i < 500; ++i) random_doubles.push_back(unit(random) * 1000);
  inputs.push_back({"random doubles", random_doubles});
  for (int digits = 0; digits <= 6; ++digits) {
    inputs.push_back({"decimals with " + std::to_string(digits) + " digits",
                      detail::decimals(random, digits, 400, 1000)});
  }
  inputs.push_back({"tiny decimals", detail::decimals(random, 12, 300, 1e-6)});

  std::vector<double> near_2_53;
  const double two_53 = 9007199254740992.0;
  for (int i = 0; i < 300; ++i) {
    near_2_53.push_back((i % 2 ? -1 : 1) * (two_53 - static_cast<double>(i * 7 % 40)));
  }
  near_2_53.push_back(two_53 + 2);
  near_2_53.push_back(-two_53 - 2);
  near_2_53.push_back(1.8446744073709552e19);
  inputs.push_back({"large integers near 2^53", near_2_53});

  std::vector<double> counter;
  double total = 0;
  for (int i = 0; i < 1000; ++i) {
    total = i % 333 == 332 ? 0 : total + 1000 + static_cast<double>(random() % 7);
    counter.push_back(total);
  }
  inputs.push_back({"counter with resets", counter});
  std::vector<double> counter_stale = counter;
  counter_stale.push_back(stale);
  inputs.push_back({"counter ending in a stale marker", counter_stale});

  std::vector<double> gauge;
  for (int i = 0; i < 700; ++i) gauge.push_back(-50 + static_cast<double>(i / 100) * 0.25);
  inputs.push_back({"negative step gauge", gauge});

  inputs.push_back({"special values",
                    {0.0, -0.0, inf, -inf, nan, -nan, stale, from_bits(0x7ff8dead0000beef),
                     from_bits(0xfff0000000000001), 5e-324, 2.2250738585072014e-308 / 3,
                     std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(),
                     std::numeric_limits<double>::min(), 0.1 + 0.2, 1e300, 1e-300, 1.0, -1.0}});

  std::vector<double> mixed;
  for (int i = 0; i < 600; ++i) {
    const uint64_t pick = random() % 10;
    mixed.push_back(pick == 0   ? stale
                    : pick == 1 ? -0.0
                    : pick == 2 ? inf
                                : static_cast<double>(i) * 0.5);
  }
  inputs.push_back({"decimals among exceptions", mixed});
  return inputs;
}

inline std::vector<TimestampInput> timestamp_inputs() {
  std::mt19937_64 random(7);
  const int64_t min = std::numeric_limits<int64_t>::min();
  const int64_t max = std::numeric_limits<int64_t>::max();
  std::vector<TimestampInput> inputs;
  inputs.push_back({"empty", {}});
  inputs.push_back({"single", {1795418784250}});
  inputs.push_back({"two", {1795418784250, 1795418785251}});
  std::vector<int64_t> regular;
  for (int64_t i = 0; i < 500; ++i) regular.push_back(1795418784000 + i * 15000);
  inputs.push_back({"regular", regular});
  std::vector<int64_t> jittered;
  for (int64_t i = 0; i < 900; ++i) {
    jittered.push_back(1795418784000 + i * 1000 + static_cast<int64_t>(random() % 9));
  }
  inputs.push_back({"jittered", jittered});
  std::vector<int64_t> negative;
  for (int64_t i = 0; i < 300; ++i) negative.push_back(-5000000 + i * 997 - (i % 5));
  inputs.push_back({"negative", negative});
  inputs.push_back({"huge gaps", {min, min + 1, -1, 0, 1, max / 2, max - 1, max}});
  inputs.push_back({"int64 extremes, decreasing too", {max, min, max, 0, min, -1, max}});
  inputs.push_back({"equal timestamps", std::vector<int64_t>(200, 123456789)});
  std::vector<int64_t> random_values;
  for (int i = 0; i < 400; ++i) random_values.push_back(static_cast<int64_t>(random()));
  inputs.push_back({"random int64", random_values});
  std::vector<int64_t> missed;
  for (int64_t i = 0; i < 400; ++i) missed.push_back(1000000 + i * 1000 + (i > 200 ? 30000 : 0));
  inputs.push_back({"missed scrapes", missed});
  return inputs;
}

}  // namespace mc::columnar::testing
