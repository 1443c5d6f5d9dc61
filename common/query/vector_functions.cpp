#include "common/query/vector_functions.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "common/query/function_args.hpp"

namespace mc::query {
namespace {

template <typename Before>
Result<Vector> sorted(const FunctionInput& input, Before before) {
  auto vector = vector_arg(input, 0);
  if (!vector) return vector.status();
  Vector out = **vector;
  std::stable_sort(out.begin(), out.end(), [before](const VectorSample& a, const VectorSample& b) {
    if (std::isnan(a.v)) return false;
    if (std::isnan(b.v)) return true;
    return before(a.v, b.v);
  });
  return out;
}

// createLabelsForAbsentFunction of 2.42: each label an "=" matcher pins,
// except the metric name and labels matched more than once or otherwise.
Labels absent_labels(const Expr& argument) {
  const auto* selector = argument.as<VectorSelector>();
  if (selector == nullptr) return {};
  LabelsBuilder builder;
  std::vector<std::string_view> ambiguous;
  for (const LabelMatcher& matcher : selector->matchers) {
    if (matcher.name() == kMetricNameLabel) continue;
    if (matcher.type() == MatchType::Equal && !builder.has(matcher.name())) {
      builder.set(matcher.name(), matcher.value());
    } else {
      ambiguous.push_back(matcher.name());
    }
  }
  for (const std::string_view name : ambiguous) builder.remove(name);
  return builder.labels();
}

}  // namespace

Result<Vector> vector_function(const FunctionInput& input) {
  auto scalar = scalar_arg(input, 0);
  if (!scalar) return scalar.status();
  return Vector{VectorSample{Labels(), 0, *scalar}};
}

Result<Vector> scalar_function(const FunctionInput& input) {
  auto vector = vector_arg(input, 0);
  if (!vector) return vector.status();
  const double value =
      (*vector)->size() == 1 ? (*vector)->front().v : std::numeric_limits<double>::quiet_NaN();
  return Vector{VectorSample{Labels(), 0, value}};
}

Result<Vector> sort_function(const FunctionInput& input) {
  return sorted(input, [](double a, double b) { return a < b; });
}

Result<Vector> sort_desc_function(const FunctionInput& input) {
  return sorted(input, [](double a, double b) { return a > b; });
}

Result<Vector> absent_function(const FunctionInput& input) {
  auto vector = vector_arg(input, 0);
  if (!vector) return vector.status();
  if (!(*vector)->empty()) return Vector{};
  if (input.call.args.empty() || !input.call.args[0]) {
    return Status::error("internal error: absent() without its argument expression");
  }
  return Vector{VectorSample{absent_labels(*input.call.args[0]), 0, 1}};
}

}  // namespace mc::query
