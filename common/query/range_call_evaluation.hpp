// A call of a function over a range vector (rate, *_over_time, deriv,
// holt_winters, predict_linear, quantile_over_time, absent_over_time, ...), as
// Prometheus 2.42 evaluates it: series by series, the function sees the
// series' window at each step (function_call.hpp) and its output keeps the
// series' labels without __name__ (last_over_time keeps it). Two output
// series with the same labels fail the query. absent_over_time is the
// engine's: it needs every series at once.
#pragma once

#include <cstddef>

#include "common/query/ast.hpp"
#include "common/query/evaluator.hpp"

namespace mc::query {

// `range_arg` is the index of the range-vector argument in call.args.
Matrix eval_range_call(const Evaluator& ev, const Call& call, size_t range_arg);

}  // namespace mc::query
