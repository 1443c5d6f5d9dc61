// An instant vector selector over the steps of a grid: for each series, at
// each step, the newest sample within the lookback window ending at the
// step's reference time ((@ time or step) - offset), unless that sample is a
// staleness marker. The series keep their labels, __name__ included.
//
// select_vector lets the store answer from window averages where the grid's
// step allows (tier_hints.hpp); select_vector_by_step reads raw data, as the
// samples' own times matter there.
#pragma once

#include <vector>

#include "common/query/ast.hpp"
#include "common/query/eval_context.hpp"
#include "common/query/step_grid.hpp"
#include "common/query/value.hpp"

namespace mc::query {

// Points at the step times; series without any point left out. Counts the
// points against the query's sample limit.
Matrix select_vector(EvalContext& ctx, const VectorSelector& selector, const StepGrid& grid);

// One instant vector per step whose samples keep their own timestamps (what
// timestamp() reads). Counts the samples against the limit.
std::vector<Vector> select_vector_by_step(EvalContext& ctx, const VectorSelector& selector,
                                          const StepGrid& grid);

}  // namespace mc::query
