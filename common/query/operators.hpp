// PromQL's operators at one evaluation step (Prometheus 2.42 engine.go:
// VectorBinop, VectorAnd/Or/Unless, VectorscalarBinop, scalarBinop, and the
// aggregation): pure functions over the step's instant vectors. The engine
// evaluates the operands, steps through time and calls these.
//
// Safe from any thread.
#pragma once

#include <cstdint>
#include <optional>

#include "common/query/ast.hpp"
#include "common/query/query_limits.hpp"
#include "common/query/step_grid.hpp"
#include "common/query/value.hpp"
#include "common/util/status.hpp"

namespace mc::query {

// Two instant vectors: arithmetic, comparison (filtering, or 0/1 with bool),
// and/or/unless, with on/ignoring/group_left/group_right as `expr` says.
// Errors as Prometheus gives them: "many-to-many matching not allowed:
// matching labels must be unique on one side", "multiple matches for labels:
// many-to-one matching must be explicit (group_left/group_right)", "found
// duplicate series for the match group ...".
Result<Vector> vector_binary_operation(const BinaryExpr& expr, const Vector& lhs,
                                       const Vector& rhs);

// An instant vector and a scalar; scalar_on_left when the scalar is the left
// operand (2 - v, 2 > bool v).
Vector vector_scalar_operation(const BinaryExpr& expr, const Vector& vector, double scalar,
                               bool scalar_on_left);

// Two scalars (comparisons only with bool, which the parser enforces).
double scalar_binary_operation(TokenKind op, double lhs, double rhs);

// One aggregation over the step's input. param is the evaluated parameter:
// a ScalarValue for topk, bottomk and quantile, a StringValue for
// count_values, null for the others. Errors as Prometheus: "invalid label
// name \"...\"" for count_values.
Result<Vector> aggregate(const AggregateExpr& expr, const Vector& input, const Value* param);

// Whether aggregate_steps() serves `op`: an aggregation without a parameter,
// whose groups depend on the series' labels alone (sum, avg, min, max, count,
// group, stddev, stdvar).
bool aggregates_by_series(TokenKind op);

// aggregate() at every step of `grid` at once, for the aggregations above:
// the same values, groups and order as calling it step by step on the points
// `input` has at each step's time, with each series' group found once
// instead of at every step. Counts the output against `limits`. nullopt for
// another aggregation, or when groups × steps is too large to hold.
std::optional<Matrix> aggregate_steps(const AggregateExpr& expr, const Matrix& input,
                                      const StepGrid& grid, QueryLimits& limits);

}  // namespace mc::query
