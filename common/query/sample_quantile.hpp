// The φ-quantile of a set of values as Prometheus 2.42's quantile()
// (promql/quantile.go): sorted, NaN first, linearly interpolated between the
// two closest ranks. quantile_over_time uses it; so may the quantile
// aggregation.
//
// Pure function; safe from any thread.
#pragma once

#include <vector>

#include "common/util/status.hpp"

namespace mc::query {

// NaN for no values, -Inf for φ < 0, +Inf for φ > 1. A NaN φ fails with the
// error 2.42 reports for it (its index computation panics on amd64):
// "unexpected error: runtime error: index out of range [-9223372036854775808]".
// Sorts `values`.
Result<double> sample_quantile(double phi, std::vector<double>& values);

}  // namespace mc::query
