// Aggregations of one series over its window, as Prometheus 2.42 computes
// them (promql/functions.go): avg, min, max, sum, count, stddev, stdvar,
// last, present and quantile _over_time. Sums are Kahan-compensated and the
// mean incremental, as 2.42 has them, so large values neither overflow nor
// lose their low digits.
//
// FunctionImpls of a range vector (function_call.hpp). Pure; safe from any
// thread.
#pragma once

#include <span>
#include <string_view>

#include "common/query/function_call.hpp"

namespace mc::query {

Result<Vector> avg_over_time_function(const FunctionInput& input);
Result<Vector> min_over_time_function(const FunctionInput& input);
Result<Vector> max_over_time_function(const FunctionInput& input);
Result<Vector> sum_over_time_function(const FunctionInput& input);
Result<Vector> count_over_time_function(const FunctionInput& input);
Result<Vector> stddev_over_time_function(const FunctionInput& input);
Result<Vector> stdvar_over_time_function(const FunctionInput& input);
Result<Vector> last_over_time_function(const FunctionInput& input);
Result<Vector> present_over_time_function(const FunctionInput& input);
// quantile_over_time(φ, v[range]): NaN for a NaN φ, -Inf below 0, +Inf above 1.
Result<Vector> quantile_over_time_function(const FunctionInput& input);

// The value the *_over_time function `name` gives a non-empty window, for
// those whose only argument is the range (all above but quantile); null for
// any other name. The FunctionImpls above compute with these; a range query
// calls them directly, without building arguments and a result per step.
using OverTimeValue = double (*)(std::span<const Sample> window);
OverTimeValue over_time_value_function(std::string_view name);

}  // namespace mc::query
