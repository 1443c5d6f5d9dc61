// The φ-quantile of a set of values as Prometheus 2.42's quantile()
// (promql/quantile.go) computes it for the quantile aggregation: values
// sorted with NaN lowest, linear interpolation between the two closest ranks.
//
// Pure function; safe from any thread.
#pragma once

#include <vector>

namespace mc::query {

// NaN for no values or a NaN q; -Inf for q < 0, +Inf for q > 1.
double vector_quantile(double q, std::vector<double> values);

}  // namespace mc::query
