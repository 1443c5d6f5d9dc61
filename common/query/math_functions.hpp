// PromQL's functions of each sample's value, as Prometheus 2.42 has them
// (promql/functions.go simpleFunc and friends): abs, ceil, floor, exp, ln,
// log2, log10, sqrt, round, sgn, clamp, clamp_min, clamp_max, the
// trigonometric and hyperbolic functions, deg, rad, and pi. All but pi map
// an instant vector sample by sample and drop the metric name.
//
// FunctionImpls (function_call.hpp). Pure; safe from any thread.
#pragma once

#include "common/query/function_call.hpp"

namespace mc::query {

Result<Vector> abs_function(const FunctionInput& input);
Result<Vector> ceil_function(const FunctionInput& input);
Result<Vector> floor_function(const FunctionInput& input);
Result<Vector> exp_function(const FunctionInput& input);
Result<Vector> ln_function(const FunctionInput& input);
Result<Vector> log2_function(const FunctionInput& input);
Result<Vector> log10_function(const FunctionInput& input);
Result<Vector> sqrt_function(const FunctionInput& input);
Result<Vector> sgn_function(const FunctionInput& input);
// round(v, to_nearest = 1): ties round up.
Result<Vector> round_function(const FunctionInput& input);
// clamp(v, min, max): no output when max < min.
Result<Vector> clamp_function(const FunctionInput& input);
Result<Vector> clamp_min_function(const FunctionInput& input);
Result<Vector> clamp_max_function(const FunctionInput& input);

Result<Vector> sin_function(const FunctionInput& input);
Result<Vector> cos_function(const FunctionInput& input);
Result<Vector> tan_function(const FunctionInput& input);
Result<Vector> asin_function(const FunctionInput& input);
Result<Vector> acos_function(const FunctionInput& input);
Result<Vector> atan_function(const FunctionInput& input);
Result<Vector> sinh_function(const FunctionInput& input);
Result<Vector> cosh_function(const FunctionInput& input);
Result<Vector> tanh_function(const FunctionInput& input);
Result<Vector> asinh_function(const FunctionInput& input);
Result<Vector> acosh_function(const FunctionInput& input);
Result<Vector> atanh_function(const FunctionInput& input);
Result<Vector> deg_function(const FunctionInput& input);
Result<Vector> rad_function(const FunctionInput& input);
// A scalar function: one sample with no labels.
Result<Vector> pi_function(const FunctionInput& input);

}  // namespace mc::query
