// Which expressions have the same value at every step of an evaluation, as
// Prometheus 2.42's PreprocessExpr finds them: what an @ modifier pins, and
// what is built only from such parts and from literals, through functions
// that do not read the evaluation time. The evaluator computes those once
// and repeats the value at every step, so "rate(x[5m] @ end())" over 11,000
// steps reads its window once.
#pragma once

#include "common/query/ast.hpp"

namespace mc::query {

bool is_step_invariant(const Expr& expr);

}  // namespace mc::query
