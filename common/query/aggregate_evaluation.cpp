#include "common/query/aggregate_evaluation.hpp"

#include <array>
#include <optional>

#include "common/query/eval_failure.hpp"
#include "common/query/operators.hpp"
#include "common/query/step_combination.hpp"

namespace mc::query {

Matrix eval_aggregate(const Evaluator& ev, const AggregateExpr& aggregation) {
  std::optional<Value> string_param;
  std::array<Matrix, 2> inputs;  // the scalar parameter, if any, and the vector
  if (aggregation.param) {
    if (expr_type(*aggregation.param) == ValueType::String) {
      string_param = StringValue{0, Evaluator::eval_string(*aggregation.param)};
    } else {
      inputs[0] = ev.eval(*aggregation.param);
    }
  }
  inputs[1] = ev.eval(*aggregation.expr);
  if (!aggregation.param) {
    if (std::optional<Matrix> out =
            aggregate_steps(aggregation, inputs[1], ev.grid(), ev.context().limits)) {
      ev.release(inputs[1]);
      return std::move(*out);
    }
  }
  const bool scalar_param = aggregation.param && !string_param;
  Value param;
  Matrix out =
      combine_steps(ev.context(), ev.grid(), inputs, [&](int64_t t, std::span<const Vector> in) {
        const Value* param_at = nullptr;
        if (scalar_param) {
          param = ScalarValue{t, scalar_at(in[0])};
          param_at = &param;
        } else if (string_param) {
          param_at = &*string_param;
        }
        Result<Vector> result = aggregate(aggregation, in[1], param_at);
        if (!result) fail_evaluation(QueryErrorKind::Execution, result.error());
        return std::move(*result);
      });
  for (const Matrix& input : inputs) ev.release(input);
  return out;
}

}  // namespace mc::query
