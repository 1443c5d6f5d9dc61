// The values the head memory benches append: counters, gauges and constants,
// as a node exporter page mixes them, so the chunks compress as real ones do.
// Shared so the benches of the head over time and across block cuts measure
// the same data.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace mc::bench {

inline double simulated_value(size_t series, int64_t second) {
  switch (series % 4) {
    case 0:
      return 1.0;
    case 1:
      return static_cast<double>(second * static_cast<int64_t>(series % 97 + 1));
    case 2:
      return std::floor(std::sin(static_cast<double>(second + series) * 0.01) * 1000) / 10;
    default:
      return std::sin(static_cast<double>(second) * 0.37 + static_cast<double>(series)) * 1e6;
  }
}

}  // namespace mc::bench
