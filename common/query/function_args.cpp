#include "common/query/function_args.hpp"

#include <string>

namespace mc::query {
namespace {

Status wrong_argument(const FunctionInput& input, size_t index, std::string_view wanted) {
  return Status::error("internal error: argument " + std::to_string(index + 1) + " of " +
                       std::string(function_name(input)) + "() is not " + std::string(wanted));
}

template <typename T>
const T* argument(const FunctionInput& input, size_t index) {
  if (index >= input.args.size()) return nullptr;
  return std::get_if<T>(&input.args[index]);
}

}  // namespace

std::string_view function_name(const FunctionInput& input) {
  return input.call.function != nullptr ? input.call.function->name : std::string_view("?");
}

Result<const Vector*> vector_arg(const FunctionInput& input, size_t index) {
  const auto* vector = argument<Vector>(input, index);
  if (vector == nullptr) return wrong_argument(input, index, "an instant vector");
  return vector;
}

Result<double> scalar_arg(const FunctionInput& input, size_t index) {
  const auto* scalar = argument<ScalarValue>(input, index);
  if (scalar == nullptr) return wrong_argument(input, index, "a scalar");
  return scalar->v;
}

Result<std::string_view> string_arg(const FunctionInput& input, size_t index) {
  const auto* string = argument<StringValue>(input, index);
  if (string == nullptr) return wrong_argument(input, index, "a string");
  return std::string_view(string->v);
}

Result<const MatrixSeries*> range_arg(const FunctionInput& input, size_t index) {
  const auto* matrix = argument<Matrix>(input, index);
  if (matrix == nullptr || matrix->size() != 1) {
    return wrong_argument(input, index, "a range vector of one series");
  }
  return &matrix->front();
}

Labels drop_metric_name(const Labels& labels) {
  if (!labels.has(kMetricNameLabel)) return labels;
  return LabelsBuilder(labels).remove(kMetricNameLabel).labels();
}

}  // namespace mc::query
