// Turns fuzz bytes into a series the codecs accept: non-decreasing int64
// timestamps and arbitrary double values. A mode byte per sample picks a
// repeat, a small step or raw 64 bits, so the regular series that real
// scrapes give (and the encodings' fast paths) are as reachable as the
// extremes (INT64_MIN/MAX, deltas near 2^63, NaN payloads, -0.0, ±Inf).
//
// Header-only, used by the round-trip targets in tests/fuzz.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "tests/fuzz/fuzz_input.hpp"

namespace mc::fuzz {

struct GeneratedSeries {
  std::vector<int64_t> timestamps;
  std::vector<double> values;
};

inline GeneratedSeries generate_series(FuzzInput& input, size_t max_samples) {
  GeneratedSeries series;
  int64_t t = static_cast<int64_t>(input.u64());
  uint64_t step = 15000;
  double v = input.f64();
  while (!input.empty() && series.timestamps.size() < max_samples) {
    const uint8_t mode = input.byte();
    switch (mode & 3) {
      case 0:  // the same step again: a regular scrape
        break;
      case 1:  // a jittered step
        step = step + static_cast<int8_t>(input.byte());
        break;
      case 2:  // any step
        step = input.u64();
        break;
      case 3:  // no step
        step = 0;
        break;
    }
    // Non-decreasing: clip the step where it would pass INT64_MAX.
    const uint64_t room =
        static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - static_cast<uint64_t>(t);
    if (!series.timestamps.empty())
      t = static_cast<int64_t>(static_cast<uint64_t>(t) + (step < room ? step : room));
    switch ((mode >> 2) & 3) {
      case 0:  // the same value
        break;
      case 1:  // a small integer step, as a counter
        v = v + static_cast<int8_t>(input.byte());
        break;
      case 2:  // any bits
        v = input.f64();
        break;
      case 3:  // a decimal with few digits, as a gauge in SI units
        v = static_cast<double>(static_cast<int16_t>(input.byte() | (input.byte() << 8))) / 100.0;
        break;
    }
    series.timestamps.push_back(t);
    series.values.push_back(v);
  }
  return series;
}

}  // namespace mc::fuzz
