// A subquery, expr[range:step]: the inner expression evaluated on its own
// grid, as Prometheus 2.42 steps it. The grid ends at the last window's end
// ((@ time or last step) - offset) and starts at the first multiple of the
// step at or after the first window's start; the step defaults to
// EngineOptions::subquery_default_step. The result is the inner series'
// points at those times, which a function's windows then slide over.
#pragma once

#include <cstdint>

#include "common/query/ast.hpp"
#include "common/query/evaluator.hpp"
#include "common/query/step_grid.hpp"

namespace mc::query {

// The grid for windows ending from `first_window_end` to `last_window_end`.
StepGrid subquery_grid(const EvalContext& ctx, const SubqueryExpr& subquery,
                       int64_t first_window_end, int64_t last_window_end);

Matrix eval_subquery(const Evaluator& outer, const SubqueryExpr& subquery, int64_t first_window_end,
                     int64_t last_window_end);

}  // namespace mc::query
