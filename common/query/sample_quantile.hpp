// The φ-quantile of a set of values as Prometheus 2.42's quantile()
// (promql/quantile.go): sorted, NaN first, linearly interpolated between the
// two closest ranks. The quantile aggregation and quantile_over_time share it.
//
// Pure function; safe from any thread.
#pragma once

#include <vector>

namespace mc::query {

// NaN for no values or a NaN φ (Prometheus 2.34 on, PR 10295), -Inf for
// φ < 0, +Inf for φ > 1. Sorts `values`.
double sample_quantile(double phi, std::vector<double>& values);

}  // namespace mc::query
