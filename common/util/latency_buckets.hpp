// Bucket bounds, in seconds, of the daemon's latency histograms (scrape and
// SQL query durations): from 1 ms to a minute, so both a local scrape and a
// slow report query land inside. One list, so dashboards can compare them.
#pragma once

#include <vector>

namespace mc {

inline const std::vector<double>& latency_buckets_seconds() {
  static const std::vector<double> buckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                              0.5,   1,      2.5,   5,    10,    30,   60};
  return buckets;
}

}  // namespace mc
