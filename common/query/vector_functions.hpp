// PromQL's functions that convert or reorder whole vectors, as Prometheus
// 2.42 has them (promql/functions.go): vector(s), scalar(v), sort, sort_desc
// and absent.
//
// FunctionImpls (function_call.hpp). Pure; safe from any thread.
#pragma once

#include "common/query/function_call.hpp"

namespace mc::query {

// One unlabelled sample holding the scalar.
Result<Vector> vector_function(const FunctionInput& input);
// A scalar function: the only sample's value, NaN unless exactly one.
Result<Vector> scalar_function(const FunctionInput& input);
// By value, ascending / descending, NaN last in both; equal values keep
// their order. Labels stay, the metric name too.
Result<Vector> sort_function(const FunctionInput& input);
Result<Vector> sort_desc_function(const FunctionInput& input);
// Nothing when the vector has samples; else one sample of value 1 whose
// labels are those the argument selector (if it is one, unparenthesized)
// pins with a single "=" matcher: absent(up{job="a",env=~"p.*"}) is
// {job="a"} 1.
Result<Vector> absent_function(const FunctionInput& input);

}  // namespace mc::query
