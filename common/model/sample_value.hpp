// Sample values and the staleness marker.
//
// Prometheus marks a series that disappeared with a special NaN, StaleNaN, whose
// exact bit pattern is 0x7ff0000000000002. Ordinary NaN values stay samples; only
// this payload means "stale". Comparing with == never works for NaN, so code
// compares bits.
#pragma once

#include <bit>
#include <cstdint>

namespace mc {

inline constexpr uint64_t kStaleNaNBits = 0x7ff0000000000002ULL;

inline double stale_nan() { return std::bit_cast<double>(kStaleNaNBits); }
inline bool is_stale_nan(double v) { return std::bit_cast<uint64_t>(v) == kStaleNaNBits; }

// One stored point: milliseconds since the Unix epoch and a float value.
struct Sample {
  int64_t t_ms = 0;
  double v = 0;

  // Compares values as floats (NaN != NaN); use same_bits() to compare NaN payloads.
  bool operator==(const Sample&) const = default;
};

// Equality of samples as the store sees it: the same timestamp and the same bits.
inline bool same_bits(double a, double b) {
  return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
}

}  // namespace mc
