// A range selector or subquery at the top of an instant query: each series'
// points in its window at the query's time, labels (__name__ included) kept.
#pragma once

#include "common/query/ast.hpp"
#include "common/query/evaluator.hpp"

namespace mc::query {

// `expr` (parentheses unwrapped) is a MatrixSelector or a SubqueryExpr.
Matrix select_matrix(const Evaluator& ev, const Expr& expr);

}  // namespace mc::query
