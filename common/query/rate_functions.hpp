// How a series changes over a range, as Prometheus 2.42 computes it
// (promql/functions.go): rate, increase and delta extrapolated to the
// window's bounds (extrapolatedRate), irate and idelta from the last two
// points, resets and changes counted over the window.
//
// Each is a FunctionImpl of a range vector (function_call.hpp): one series'
// window in, at most one value out. Pure; safe from any thread.
#pragma once

#include "common/query/function_call.hpp"

namespace mc::query {

Result<Vector> rate_function(const FunctionInput& input);
Result<Vector> increase_function(const FunctionInput& input);
Result<Vector> delta_function(const FunctionInput& input);
Result<Vector> irate_function(const FunctionInput& input);
Result<Vector> idelta_function(const FunctionInput& input);
Result<Vector> resets_function(const FunctionInput& input);
Result<Vector> changes_function(const FunctionInput& input);

}  // namespace mc::query
