// Runs one PromQL function implementation for one evaluation step, as the
// engine calls it (common/query/function_call.hpp): the call is parsed from
// real query text, so FunctionInput::call is what the engine would hold, and
// the evaluated arguments are given by the test.
//
// For the function tests of tests/unit/query only.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/query/function_call.hpp"
#include "common/query/parser.hpp"

namespace mc::query::testing {

struct FunctionStep {
  std::string query;  // the call, e.g. "rate(x[5m])"
  std::vector<Value> args;
  int64_t t_ms = 0;
  int64_t range_start_ms = 0;
  int64_t range_end_ms = 0;

  Result<Vector> run() const {
    auto parsed = parse_expr(query);
    REQUIRE(parsed.is_ok());
    const Call* call = (*parsed)->as<Call>();
    REQUIRE(call != nullptr);
    const FunctionImpl impl = find_function_impl(call->function->name);
    REQUIRE(impl != nullptr);
    return impl(FunctionInput{*call, t_ms, args, range_start_ms, range_end_ms});
  }
};

// A range-vector argument: one series' points in its window.
inline Value window(std::vector<Sample> points, Labels labels = {}) {
  return Matrix{MatrixSeries{std::move(labels), std::move(points)}};
}

// Points every `interval_ms` from `start_ms`, with the given values.
inline Value evenly_spaced(int64_t start_ms, int64_t interval_ms,
                           const std::vector<double>& values) {
  std::vector<Sample> points;
  for (size_t i = 0; i < values.size(); ++i) {
    points.push_back(Sample{start_ms + static_cast<int64_t>(i) * interval_ms, values[i]});
  }
  return window(std::move(points));
}

inline Value scalar(double v) { return ScalarValue{0, v}; }
inline Value string(std::string v) { return StringValue{0, std::move(v)}; }

// The single value a range-vector function returned at this step.
inline double only_value(const Result<Vector>& result) {
  REQUIRE(result.is_ok());
  REQUIRE(result->size() == 1);
  return result->front().v;
}

}  // namespace mc::query::testing
