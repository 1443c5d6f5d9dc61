// Prometheus's rangeEval: evaluating an operator or function step by step
// over its arguments' series. At each step the samples every argument has
// there are gathered into instant vectors, the operation runs on them, and
// what it returns is appended to output series by labels.
//
// An operation whose result at one step holds two samples with the same
// labels fails the query: "vector cannot contain metrics with the same
// labelset", as Prometheus checks after every step.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <unordered_map>
#include <vector>

#include "common/query/eval_context.hpp"
#include "common/query/step_grid.hpp"
#include "common/query/value.hpp"

namespace mc::query {

inline constexpr const char* kDuplicateLabelsetMessage =
    "vector cannot contain metrics with the same labelset";

// The value of a scalar argument at a step (its one sample).
double scalar_at(const Vector& vector);

// Points of every series of `matrix`.
uint64_t total_points(const Matrix& matrix);

// Output series assembled from the steps' results, in the order their labels
// first appear (an instant query keeps the operation's order).
class StepCollector {
 public:
  explicit StepCollector(QueryLimits& limits) : limits_(limits) {}

  // Takes the samples of one step at `t_ms` (later than any before), their
  // own times ignored; counts them against the sample limit.
  void add(int64_t t_ms, Vector&& result);
  Matrix take() { return std::move(series_); }

 private:
  QueryLimits& limits_;
  Matrix series_;
  std::unordered_map<Labels, size_t, LabelsHash> index_;
};

// The inputs are the operation's to take apart: the next step refills them.
using StepOperation = std::function<Vector(int64_t t_ms, std::span<Vector> inputs)>;

// Runs `operation` at every step of `grid` with the samples each of `args`
// has at that step (a scalar argument as one unlabelled sample).
Matrix combine_steps(EvalContext& ctx, const StepGrid& grid, std::span<const Matrix> args,
                     const StepOperation& operation);

}  // namespace mc::query
