// A subquery, expr[range:step]: the inner expression evaluated on its own
// grid, as Prometheus 2.42 steps it. The grid ends at the outer grid's last
// reference time ((@ time or last step) - offset) and starts at the first
// multiple of the step at or after (outer start - offset - range); the step
// defaults to EngineOptions::subquery_default_step. The result is the inner
// series' points at those times, which a function's windows then slide over.
#pragma once

#include "common/query/ast.hpp"
#include "common/query/evaluator.hpp"
#include "common/query/step_grid.hpp"

namespace mc::query {

// The grid the subquery's inner expression is evaluated on.
StepGrid subquery_grid(const Evaluator& outer, const SubqueryExpr& subquery);

Matrix eval_subquery(const Evaluator& outer, const SubqueryExpr& subquery);

}  // namespace mc::query
