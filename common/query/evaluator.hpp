// The tree walk of a PromQL evaluation, as Prometheus 2.42's evaluator: each
// node is evaluated over all steps of the grid at once, into series whose
// points sit at the step times. A scalar is one series without labels with a
// point at every step; a range selector or subquery (only at the top of an
// instant query, or as a function's range argument) is its raw points.
//
// The parts live beside it: selectors (vector_selection, matrix_selection),
// subqueries, calls, binary operators and aggregations. Failures unwind as
// EvalFailure (eval_failure.hpp).
#pragma once

#include <string>

#include "common/query/ast.hpp"
#include "common/query/eval_context.hpp"
#include "common/query/step_grid.hpp"
#include "common/query/value.hpp"

namespace mc::query {

class Evaluator {
 public:
  Evaluator(EvalContext& ctx, StepGrid grid) : ctx_(ctx), grid_(grid) {}

  EvalContext& context() const { return ctx_; }
  const StepGrid& grid() const { return grid_; }

  // An expression of any type but string. The samples of the result are
  // counted against the query's limit until the caller releases them
  // (release()).
  Matrix eval(const Expr& expr) const;
  // A string expression (a literal, maybe in parentheses).
  static std::string eval_string(const Expr& expr);

  void release(const Matrix& matrix) const;

 private:
  // A step-invariant expression (step_invariance.hpp) at the first step,
  // its value repeated at the others.
  Matrix eval_once_for_all_steps(const Expr& expr) const;
  Matrix eval_unary(const UnaryExpr& unary) const;

  EvalContext& ctx_;
  StepGrid grid_;
};

// The expression inside any parentheses.
const Expr& unwrap_parens(const Expr& expr);

// Fails the evaluation when two series have the same labels (after an
// operation dropped the metric name of all).
void check_unique_labelsets(const Matrix& matrix);

}  // namespace mc::query
