// Aligned time windows: [k * width, (k + 1) * width) in milliseconds since the
// epoch. Blocks, downsampling windows and scrape offsets all cut time this way;
// the division rounds toward zero in C++, so times before 1970 need the floor
// taken by hand, here once.
#pragma once

#include <cstdint>

namespace mc {

// The start of the window of `width` that holds `t_ms` (a floor, also for
// negative times). REQUIRES: width > 0.
constexpr int64_t aligned_window_start(int64_t t_ms, int64_t width) {
  int64_t remainder = t_ms % width;
  if (remainder < 0) remainder += width;
  return t_ms - remainder;
}

}  // namespace mc
