#include "common/query/subquery_evaluation.hpp"

namespace mc::query {

StepGrid subquery_grid(const EvalContext& ctx, const SubqueryExpr& subquery,
                       int64_t first_window_end, int64_t last_window_end) {
  const int64_t step =
      subquery.step.count() > 0 ? subquery.step.count() : ctx.options.subquery_default_step.count();
  const int64_t earliest = first_window_end - subquery.range.count();
  // Division truncates toward zero in C++ as in Go: a multiple at or after
  // `earliest` either way once corrected.
  int64_t start = step * (earliest / step);
  if (start < earliest) start += step;
  return StepGrid{start, last_window_end, step};
}

Matrix eval_subquery(const Evaluator& outer, const SubqueryExpr& subquery, int64_t first_window_end,
                     int64_t last_window_end) {
  const Evaluator inner(
      outer.context(), subquery_grid(outer.context(), subquery, first_window_end, last_window_end));
  if (inner.grid().size() == 0) return {};
  return inner.eval(*subquery.expr);
}

}  // namespace mc::query
