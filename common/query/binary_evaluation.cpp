#include "common/query/binary_evaluation.hpp"

#include <array>

#include "common/query/eval_failure.hpp"
#include "common/query/operators.hpp"
#include "common/query/step_combination.hpp"

namespace mc::query {
namespace {

StepOperation step_operation(const BinaryExpr& binary) {
  const bool lhs_scalar = expr_type(*binary.lhs) == ValueType::Scalar;
  const bool rhs_scalar = expr_type(*binary.rhs) == ValueType::Scalar;
  if (lhs_scalar && rhs_scalar) {
    return [&binary](int64_t t, std::span<const Vector> in) {
      const double v = scalar_binary_operation(binary.op, scalar_at(in[0]), scalar_at(in[1]));
      return Vector{VectorSample{{}, t, v}};
    };
  }
  if (lhs_scalar || rhs_scalar) {
    return [&binary, lhs_scalar](int64_t, std::span<const Vector> in) {
      const Vector& vector = lhs_scalar ? in[1] : in[0];
      const double scalar = scalar_at(lhs_scalar ? in[0] : in[1]);
      return vector_scalar_operation(binary, vector, scalar, lhs_scalar);
    };
  }
  return [&binary](int64_t, std::span<const Vector> in) {
    Result<Vector> out = vector_binary_operation(binary, in[0], in[1]);
    if (!out) fail_evaluation(QueryErrorKind::Execution, out.error());
    return std::move(*out);
  };
}

}  // namespace

Matrix eval_binary(const Evaluator& ev, const BinaryExpr& binary) {
  std::array<Matrix, 2> operands{ev.eval(*binary.lhs), ev.eval(*binary.rhs)};
  Matrix out = combine_steps(ev.context(), ev.grid(), operands, step_operation(binary));
  for (const Matrix& operand : operands) ev.release(operand);
  return out;
}

}  // namespace mc::query
