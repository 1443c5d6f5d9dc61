#include "common/query/subquery_evaluation.hpp"

namespace mc::query {

StepGrid subquery_grid(const Evaluator& outer, const SubqueryExpr& subquery) {
  const EvalContext& ctx = outer.context();
  const int64_t step =
      subquery.step.count() > 0 ? subquery.step.count() : ctx.options.subquery_default_step.count();
  const StepGrid& grid = outer.grid();
  if (grid.size() == 0) return StepGrid{1, 0, step};
  const int64_t first = ctx.reference_time(subquery.modifiers, grid.start_ms);
  const int64_t last = ctx.reference_time(subquery.modifiers, grid.last_ms());
  const int64_t earliest = first - subquery.range.count();
  // Division truncates toward zero in C++ as in Go: a multiple at or after
  // `earliest` either way once corrected.
  int64_t start = step * (earliest / step);
  if (start < earliest) start += step;
  return StepGrid{start, last, step};
}

Matrix eval_subquery(const Evaluator& outer, const SubqueryExpr& subquery) {
  Evaluator inner(outer.context(), subquery_grid(outer, subquery));
  if (inner.grid().size() == 0) return {};
  return inner.eval(*subquery.expr);
}

}  // namespace mc::query
