// How a function implementation reads what the engine evaluated for it
// (function_call.hpp): one accessor per argument type, each failing with a
// message naming the function and the argument when the engine handed
// something else, so a mismatch between engine and function is an error
// the query reports rather than a crash.
//
// Also the label step most functions share: dropping the metric name.
//
// Pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/model/labels.hpp"
#include "common/query/function_call.hpp"
#include "common/query/value.hpp"
#include "common/util/status.hpp"

namespace mc::query {

// The function's name as written in the query ("rate").
std::string_view function_name(const FunctionInput& input);

// Argument `index` as an instant vector.
Result<const Vector*> vector_arg(const FunctionInput& input, size_t index);
// Argument `index` as a scalar's value.
Result<double> scalar_arg(const FunctionInput& input, size_t index);
// Argument `index` as a string literal's value.
Result<std::string_view> string_arg(const FunctionInput& input, size_t index);
// Argument `index` as the one series of a range vector at this step.
Result<const MatrixSeries*> range_arg(const FunctionInput& input, size_t index);

// The labels without __name__, as Prometheus's DropMetricName.
Labels drop_metric_name(const Labels& labels);

}  // namespace mc::query
