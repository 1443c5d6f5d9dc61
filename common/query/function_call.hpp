// The contract between the engine and the implementations of PromQL's
// functions (Prometheus 2.42's promql/functions.go): what a function receives
// at one evaluation step and what it returns.
//
// The engine evaluates the arguments, steps through time and assembles the
// output series; a function computes one step. Two kinds:
//
// - Functions of a range vector (rate, *_over_time, deriv, holt_winters,
//   predict_linear, quantile_over_time, ...): the range-vector argument is a
//   Matrix of exactly ONE series whose points are those of its window at this
//   step, [range_start_ms, range_end_ms] as Prometheus 2.42 selects them. They
//   return an empty Vector (no point at this step) or one sample whose value
//   alone counts: the engine gives the output the series' labels (without
//   __name__, except for last_over_time) and the step's time.
// - All others: each instant-vector argument is the whole Vector at this step;
//   they return the output vector with its labels as Prometheus gives them
//   (dropping __name__ where it does); the engine sets every t_ms to the step.
//   A function of scalar type (time, scalar, pi) returns one sample with empty
//   labels; the engine turns it into the scalar.
//
// The engine itself handles absent_over_time (it needs every series of the
// selector at once) and feeds timestamp() the raw sample times of a vector
// selector argument in VectorSample::t_ms. Everything else, absent included,
// is the function's.
//
// Functions are pure and safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "common/query/ast.hpp"
#include "common/query/value.hpp"
#include "common/util/status.hpp"

namespace mc::query {

struct FunctionInput {
  const Call& call;  // the expressions: label names, absent()'s matchers
  int64_t t_ms = 0;  // this step's evaluation time
  // One per argument of the call, in order: Vector, ScalarValue, StringValue,
  // or for the range-vector argument a Matrix of one series (see above).
  // Optional arguments not written are absent here (date functions without
  // an argument get an empty span).
  std::span<const Value> args;
  // Functions of a range vector: the window the points were selected from,
  // after offset and @: range_end_ms = (@ time or t) - offset,
  // range_start_ms = range_end_ms - range (extrapolated rates need both).
  int64_t range_start_ms = 0;
  int64_t range_end_ms = 0;
  // The resolution of the downsampled tier the range selector read (0: raw
  // samples): its points are then one per window, not one per scrape, and
  // rate() must not take their spacing for the scrape interval.
  int64_t window_resolution_ms = 0;
  // With a tier's window points, for rate() and increase(): the last point
  // before range_start_ms, if it lies within a resolution of it.
  std::optional<Sample> point_before = std::nullopt;
  // ... and the first point after range_end_ms, within a resolution of it.
  std::optional<Sample> point_after = std::nullopt;
};

// An error aborts the query with the message (422 execution in the API), as
// Prometheus's panics in functions do: "invalid regular expression in
// label_replace(): ...".
using FunctionImpl = Result<Vector> (*)(const FunctionInput& input);

// The implementation of the named function; nullptr for absent_over_time
// (the engine's own) and for names that are not functions.
FunctionImpl find_function_impl(std::string_view name);

}  // namespace mc::query
