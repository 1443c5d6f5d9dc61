// Where a series is heading, as Prometheus 2.42 computes it
// (promql/functions.go): deriv and predict_linear by least-squares linear
// regression over the window (Kahan-summed), holt_winters by double
// exponential smoothing.
//
// FunctionImpls of a range vector (function_call.hpp). Pure; safe from any
// thread.
#pragma once

#include "common/query/function_call.hpp"

namespace mc::query {

Result<Vector> deriv_function(const FunctionInput& input);
// predict_linear(v[range], seconds): the regression line's value `seconds`
// after the step's evaluation time (not the window's end, which an offset
// moves).
Result<Vector> predict_linear_function(const FunctionInput& input);
// Fails when 0 < sf < 1 or 0 < tf < 1 does not hold, worded as 2.42:
// "invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000".
Result<Vector> holt_winters_function(const FunctionInput& input);

}  // namespace mc::query
