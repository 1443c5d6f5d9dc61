// The φ-quantile of a set of values as Prometheus 2.42's quantile()
// (promql/quantile.go): sorted, NaN first, linearly interpolated between the
// two closest ranks. The quantile aggregation and quantile_over_time share it.
//
// Pure function; safe from any thread.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace mc::query {

// NaN for no values or a NaN φ (Prometheus 2.34 on, PR 10295), -Inf for
// φ < 0, +Inf for φ > 1. Sorts `values`.
double sample_quantile(double phi, std::vector<double>& values);

// The same over `count` values already in that order, `at(i)` the i-th: for
// a caller that keeps its values sorted (quantile_over_time sliding).
template <typename At>
double sorted_sample_quantile(double phi, size_t count, const At& at) {
  if (count == 0 || std::isnan(phi)) return std::numeric_limits<double>::quiet_NaN();
  if (phi < 0) return -std::numeric_limits<double>::infinity();
  if (phi > 1) return std::numeric_limits<double>::infinity();
  const double n = static_cast<double>(count);
  const double rank = phi * (n - 1);
  const double lower = std::max(0.0, std::floor(rank));
  const double upper = std::min(n - 1, lower + 1);
  const double weight = rank - std::floor(rank);
  return at(static_cast<size_t>(lower)) * (1 - weight) + at(static_cast<size_t>(upper)) * weight;
}

}  // namespace mc::query
