// The wall-clock time in milliseconds since the Unix epoch: the timestamp of a
// sample, of a scrape slot, of a retention decision. One definition, so every
// component stamps samples the same way. (Intervals are measured with
// std::chrono::steady_clock instead; this clock may jump.)
#pragma once

#include <chrono>
#include <cstdint>

namespace mc {

inline int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace mc
