// The values a PromQL expression evaluates to, as Prometheus 2.42's engine has
// them (promql/value.go), float samples only: a scalar, a string, an instant
// vector (one sample per series at the evaluation time) and a range vector
// (a run of points per series).
//
// Plain data; the engine builds them, the HTTP API writes them out.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/sample_value.hpp"

namespace mc::query {

struct ScalarValue {
  int64_t t_ms = 0;
  double v = 0;
};

struct StringValue {
  int64_t t_ms = 0;
  std::string v;
};

// One element of an instant vector. t_ms is the evaluation time, except where
// the engine hands a function the raw samples of a selector (timestamp()).
struct VectorSample {
  Labels labels;
  int64_t t_ms = 0;
  double v = 0;
};
using Vector = std::vector<VectorSample>;

// One series of a range vector (or of a range query's result): its points in
// time order.
struct MatrixSeries {
  Labels labels;
  std::vector<Sample> points;
};
using Matrix = std::vector<MatrixSeries>;

using Value = std::variant<ScalarValue, StringValue, Vector, Matrix>;

}  // namespace mc::query
