// An aggregation (sum, topk, quantile, count_values, ...) step by step through
// operators.hpp's aggregate(), its parameter (k, φ, count_values' label name)
// evaluated at each step.
#pragma once

#include "common/query/ast.hpp"
#include "common/query/evaluator.hpp"

namespace mc::query {

Matrix eval_aggregate(const Evaluator& ev, const AggregateExpr& aggregation);

}  // namespace mc::query
