// PromQL's functions of time, as Prometheus 2.42 has them
// (promql/functions.go): time(), timestamp(v), and the calendar functions
// year, month, day_of_month, day_of_year, day_of_week, days_in_month, hour
// and minute. Calendar functions read each sample's value as Unix seconds in
// UTC; without an argument they give the step's time as a one-sample vector
// (vector(time())).
//
// FunctionImpls (function_call.hpp). Pure; safe from any thread.
#pragma once

#include "common/query/function_call.hpp"

namespace mc::query {

// A scalar function: the step's time in seconds.
Result<Vector> time_function(const FunctionInput& input);
// Each sample's own time in seconds (the engine hands the raw sample times).
Result<Vector> timestamp_function(const FunctionInput& input);

Result<Vector> year_function(const FunctionInput& input);
Result<Vector> month_function(const FunctionInput& input);
Result<Vector> day_of_month_function(const FunctionInput& input);
Result<Vector> day_of_year_function(const FunctionInput& input);
Result<Vector> day_of_week_function(const FunctionInput& input);  // Sunday is 0
Result<Vector> days_in_month_function(const FunctionInput& input);
Result<Vector> hour_function(const FunctionInput& input);
Result<Vector> minute_function(const FunctionInput& input);

}  // namespace mc::query
