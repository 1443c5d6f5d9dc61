#include "tests/support/promql_expected_result.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <vector>

#include "common/query/go_text.hpp"

namespace mc::test {
namespace {

using query::go_format_float;

// The smallest positive normal float64, below which test.go compares absolutely.
const double kMinNormal = std::bit_cast<double>(uint64_t{0x0010000000000000});
constexpr double kEpsilon = 0.000001;

std::string series_text(const Labels& labels) { return labels.to_string(); }

std::optional<std::string> vector_mismatch(const EvalCommand& eval, const query::Vector& vector) {
  if (eval.scalar) {
    return fmt::format("expected scalar {} but got an instant vector of {}",
                       go_format_float(*eval.scalar), vector.size());
  }
  if (eval.string) {
    return fmt::format("expected string \"{}\" but got an instant vector of {}", *eval.string,
                       vector.size());
  }
  std::vector<bool> seen(eval.samples.size(), false);
  for (size_t pos = 0; pos < vector.size(); ++pos) {
    const query::VectorSample& sample = vector[pos];
    const auto expected =
        std::find_if(eval.samples.begin(), eval.samples.end(),
                     [&](const ExpectedSample& e) { return e.labels == sample.labels; });
    if (expected == eval.samples.end()) {
      return fmt::format("unexpected metric {} in result", series_text(sample.labels));
    }
    if (eval.mode == EvalMode::Ordered && expected->position != pos + 1) {
      return fmt::format("expected metric {} with {} at position {} but was at {}",
                         series_text(sample.labels), go_format_float(expected->value),
                         expected->position, pos + 1);
    }
    if (!almost_equal(expected->value, sample.v)) {
      return fmt::format("expected {} for {} but got {}", go_format_float(expected->value),
                         series_text(sample.labels), go_format_float(sample.v));
    }
    seen[static_cast<size_t>(expected - eval.samples.begin())] = true;
  }
  for (size_t i = 0; i < eval.samples.size(); ++i) {
    if (!seen[i]) {
      return fmt::format("expected metric {} with {} not found",
                         series_text(eval.samples[i].labels),
                         go_format_float(eval.samples[i].value));
    }
  }
  return std::nullopt;
}

std::optional<std::string> scalar_mismatch(const EvalCommand& eval, double got) {
  if (!eval.scalar) {
    return fmt::format("expected {} but got scalar {}",
                       eval.string ? "a string" : "an instant vector", go_format_float(got));
  }
  if (!almost_equal(*eval.scalar, got)) {
    return fmt::format("expected scalar {} but got {}", go_format_float(*eval.scalar),
                       go_format_float(got));
  }
  return std::nullopt;
}

}  // namespace

bool almost_equal(double expected, double got) {
  if (std::isnan(expected) && std::isnan(got)) return true;
  if (expected == got) return true;
  const double diff = std::fabs(expected - got);
  if (expected == 0 || got == 0 || diff < kMinNormal) return diff < kEpsilon * kMinNormal;
  return diff / (std::fabs(expected) + std::fabs(got)) < kEpsilon;
}

std::optional<std::string> result_mismatch(const EvalCommand& eval, const query::Value& result) {
  if (const auto* vector = std::get_if<query::Vector>(&result)) {
    return vector_mismatch(eval, *vector);
  }
  if (const auto* scalar = std::get_if<query::ScalarValue>(&result)) {
    return scalar_mismatch(eval, scalar->v);
  }
  if (const auto* string = std::get_if<query::StringValue>(&result)) {
    if (!eval.string) return fmt::format("unexpected string result \"{}\"", string->v);
    if (*eval.string != string->v) {
      return fmt::format("expected string \"{}\" but got \"{}\"", *eval.string, string->v);
    }
    return std::nullopt;
  }
  return std::string("received range result on instant evaluation");
}

std::optional<std::string> range_middle_mismatch(const EvalCommand& eval,
                                                 const query::Value& range_result) {
  const auto* matrix = std::get_if<query::Matrix>(&range_result);
  if (matrix == nullptr) return std::string("range query did not return a matrix");
  query::Vector middle;
  for (const query::MatrixSeries& series : *matrix) {
    const auto point = std::find_if(series.points.begin(), series.points.end(),
                                    [&](const Sample& s) { return s.t_ms == eval.t_ms; });
    if (point != series.points.end()) middle.push_back({series.labels, point->t_ms, point->v});
  }
  if (eval.scalar) {
    if (middle.size() != 1 || !middle[0].labels.empty()) {
      return fmt::format("expected scalar {} but the range query has {} series at the time",
                         go_format_float(*eval.scalar), middle.size());
    }
    return scalar_mismatch(eval, middle[0].v);
  }
  return vector_mismatch(eval, middle);
}

std::string describe_value(const query::Value& value, size_t max_samples) {
  if (const auto* scalar = std::get_if<query::ScalarValue>(&value)) {
    return "scalar " + go_format_float(scalar->v);
  }
  if (const auto* string = std::get_if<query::StringValue>(&value)) {
    return fmt::format("string \"{}\"", string->v);
  }
  if (const auto* vector = std::get_if<query::Vector>(&value)) {
    std::string out = fmt::format("vector of {}", vector->size());
    for (size_t i = 0; i < vector->size() && i < max_samples; ++i) {
      out += fmt::format("{} {} {}", i == 0 ? ":" : ",", series_text((*vector)[i].labels),
                         go_format_float((*vector)[i].v));
    }
    if (vector->size() > max_samples) out += ", ...";
    return out;
  }
  const auto& matrix = std::get<query::Matrix>(value);
  std::string out = fmt::format("matrix of {}", matrix.size());
  for (size_t i = 0; i < matrix.size() && i < max_samples; ++i) {
    out += fmt::format("{} {} ({} points)", i == 0 ? ":" : ",", series_text(matrix[i].labels),
                       matrix[i].points.size());
  }
  if (matrix.size() > max_samples) out += ", ...";
  return out;
}

}  // namespace mc::test
