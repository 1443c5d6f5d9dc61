// The φ-quantile of a set of values as Prometheus 2.42's quantile()
// (promql/quantile.go) computes it for the quantile aggregation: values
// sorted with NaN lowest, linear interpolation between the two closest ranks.
//
// Pure function; safe from any thread.
#pragma once

#include <vector>

namespace mc::query {

// NaN for no values; -Inf for q < 0, +Inf for q > 1. A NaN q gives NaN
// (Prometheus 2.42 indexes out of range there and fails the query with a
// runtime error; later versions return NaN).
double vector_quantile(double q, std::vector<double> values);

}  // namespace mc::query
