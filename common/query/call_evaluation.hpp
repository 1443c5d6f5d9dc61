// A function call: functions of a range vector go to eval_range_call; the
// others run at each step on their arguments' instant values through
// find_function_impl (function_call.hpp), timestamp() of a vector selector
// with the samples' own times. A scalar-typed function's one unlabelled
// sample is the scalar.
#pragma once

#include "common/query/ast.hpp"
#include "common/query/evaluator.hpp"

namespace mc::query {

Matrix eval_call(const Evaluator& ev, const Call& call);

}  // namespace mc::query
