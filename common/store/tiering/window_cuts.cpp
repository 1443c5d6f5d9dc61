#include "common/store/tiering/window_cuts.hpp"

#include <algorithm>
#include <cmath>

#include "common/store/tiering/downsample.hpp"
#include "common/util/aligned_window.hpp"

namespace mc::tiering {

std::vector<WindowCut> window_cuts(std::span<const int64_t> range_ends_ms, int64_t range_ms,
                                   int64_t resolution_ms) {
  std::vector<WindowCut> cuts;
  cuts.reserve(2 * range_ends_ms.size());
  const auto on_boundary = [resolution_ms](int64_t t) {
    return aligned_window_start(t, resolution_ms) == t;
  };
  for (const int64_t end : range_ends_ms) {
    const int64_t start = end - range_ms;
    if (!on_boundary(start)) cuts.push_back(WindowCut{start});
    if (!on_boundary(end)) cuts.push_back(WindowCut{end + 1});
  }
  std::sort(cuts.begin(), cuts.end(),
            [](const WindowCut& a, const WindowCut& b) { return a.at_ms < b.at_ms; });
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  return cuts;
}

uint64_t samples_before(const AggregateSample& window, int64_t at_ms) {
  const int64_t first = window.first_t_ms;
  const int64_t last = window.t_ms;
  if (window.count == 0 || at_ms <= first) return 0;
  if (at_ms > last) return window.count;
  // first < at_ms <= last, so last > first: samples at first + i * spacing,
  // i < (at_ms - first) / spacing of them before at_ms (a ceiling).
  const int64_t gaps = static_cast<int64_t>(window.count) - 1;
  const int64_t span = last - first;
  return static_cast<uint64_t>(((at_ms - first) * gaps + span - 1) / span);
}

std::vector<WindowPart> window_parts(const AggregateSample& window,
                                     std::span<const WindowCut> cuts) {
  std::vector<WindowPart> parts;
  // The first cut after the window's first sample.
  auto cut = std::upper_bound(cuts.begin(), cuts.end(), window.first_t_ms,
                              [](int64_t t, const WindowCut& c) { return t < c.at_ms; });
  uint64_t before = 0;
  for (; cut != cuts.end() && cut->at_ms <= window.t_ms; ++cut) {
    const uint64_t up_to = samples_before(window, cut->at_ms);
    if (up_to > before) parts.push_back(WindowPart{cut->at_ms - 1, up_to - before});
    before = up_to;
  }
  if (window.count > before) parts.push_back(WindowPart{window.t_ms, window.count - before});
  return parts;
}

double counter_inside(const AggregateSample& window, int64_t t_ms) {
  const double first = window.first_counter;
  const double rise = window.counter - first;
  const double u = static_cast<double>(t_ms - window.first_t_ms) /
                   static_cast<double>(window.t_ms - window.first_t_ms);
  const double line = first + rise * u;
  const double n = static_cast<double>(window.count);
  // Without a reset the raw values climb from min to max by the window's
  // rise, and their mean above min is the adjusted counter's above `first`.
  const bool no_reset =
      std::abs((window.max - window.min) - rise) <= 1e-9 * std::max(1.0, std::abs(rise));
  if (window.count < 3 || !std::isfinite(window.sum) || !std::isfinite(line) || !no_reset ||
      rise <= 0) {
    return line;
  }
  const double mean_above_first = window.sum / n - window.min;
  // The mean of u * (1 - u) over n evenly spaced positions from 0 to 1.
  const double bow_mean = (n - 2) / (6 * (n - 1));
  double bow = (mean_above_first - rise / 2) / bow_mean;
  // |bow| <= rise keeps the parabola rising from first to first + rise.
  bow = std::clamp(bow, -rise, rise);
  return line + bow * u * (1 - u);
}

}  // namespace mc::tiering
