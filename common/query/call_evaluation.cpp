#include "common/query/call_evaluation.hpp"

#include <optional>
#include <string>
#include <vector>

#include "common/query/eval_failure.hpp"
#include "common/query/function_call.hpp"
#include "common/query/histogram_quantile_evaluation.hpp"
#include "common/query/range_call_evaluation.hpp"
#include "common/query/step_combination.hpp"
#include "common/query/vector_selection.hpp"

namespace mc::query {
namespace {

std::optional<size_t> range_argument_index(const Call& call) {
  for (size_t i = 0; i < call.args.size(); ++i) {
    const Expr& arg = unwrap_parens(*call.args[i]);
    if (arg.as<MatrixSelector>() || arg.as<SubqueryExpr>()) return i;
  }
  return std::nullopt;
}

FunctionImpl implementation(const Call& call) {
  const FunctionImpl impl = find_function_impl(call.function->name);
  if (impl == nullptr) {
    fail_evaluation(QueryErrorKind::Execution,
                    "function \"" + std::string(call.function->name) + "\" is not implemented");
  }
  return impl;
}

// The function's output at one step, each sample at the step's time; a
// scalar function that returned nothing is NaN rather than a missing scalar.
Vector call_at(FunctionImpl impl, const Call& call, int64_t t_ms, std::span<const Value> args) {
  Result<Vector> output = impl(FunctionInput{call, t_ms, args, 0, 0});
  if (!output) fail_evaluation(QueryErrorKind::Execution, output.error());
  if (call.function->return_type == ValueType::Scalar && output->empty()) {
    output->push_back(VectorSample{{}, t_ms, std::numeric_limits<double>::quiet_NaN()});
  }
  for (VectorSample& sample : *output) sample.t_ms = t_ms;
  return std::move(*output);
}

// timestamp(selector): the function reads each sample's own time, which a
// vector evaluated at the steps no longer has. With @, Prometheus 2.42 reads
// at the @ time itself, the offset ignored (it resets the selector's offset
// to step - @ time).
Matrix eval_timestamp_of_selector(const Evaluator& ev, const Call& call,
                                  const VectorSelector& selector) {
  const FunctionImpl impl = implementation(call);
  VectorSelector read = selector;
  if (read.modifiers.has_at()) read.modifiers.offset = std::chrono::milliseconds(0);
  std::vector<Vector> steps = select_vector_by_step(ev.context(), read, ev.grid());
  StepCollector collector(ev.context().limits);
  std::vector<Value> args(1);
  for (size_t step = 0; step < steps.size(); ++step) {
    ev.context().limits.check_deadline();
    const int64_t t = ev.grid().time(step);
    ev.context().limits.release_samples(steps[step].size());
    args[0] = std::move(steps[step]);
    collector.add(t, call_at(impl, call, t, args));
  }
  return collector.take();
}

Matrix eval_step_call(const Evaluator& ev, const Call& call) {
  const FunctionImpl impl = implementation(call);
  std::vector<ValueType> types;
  std::vector<Matrix> inputs(call.args.size());
  std::vector<Value> args(call.args.size());
  for (size_t i = 0; i < call.args.size(); ++i) {
    types.push_back(expr_type(*call.args[i]));
    if (types[i] == ValueType::String) {
      args[i] = StringValue{0, Evaluator::eval_string(*call.args[i])};
    } else {
      inputs[i] = ev.eval(*call.args[i]);
      if (types[i] != ValueType::Scalar) args[i] = Vector{};
    }
  }
  Matrix out =
      combine_steps(ev.context(), ev.grid(), inputs, [&](int64_t t, std::span<Vector> at_step) {
        for (size_t i = 0; i < types.size(); ++i) {
          if (types[i] == ValueType::Scalar) {
            args[i] = ScalarValue{t, scalar_at(at_step[i])};
          } else if (types[i] != ValueType::String) {
            // A swap, not a copy: both keep their buffers.
            std::swap(std::get<Vector>(args[i]), at_step[i]);
          }
        }
        return call_at(impl, call, t, args);
      });
  for (const Matrix& input : inputs) ev.release(input);
  return out;
}

}  // namespace

Matrix eval_call(const Evaluator& ev, const Call& call) {
  if (const std::optional<size_t> range_arg = range_argument_index(call)) {
    return eval_range_call(ev, call, *range_arg);
  }
  if (call.function->name == "timestamp") {
    if (const auto* selector = unwrap_parens(*call.args[0]).as<VectorSelector>()) {
      return eval_timestamp_of_selector(ev, call, *selector);
    }
  }
  // An instant query keeps the step-by-step order of its output.
  if (call.function->name == "histogram_quantile" && ev.grid().size() > 1) {
    return eval_histogram_quantile(ev, call);
  }
  return eval_step_call(ev, call);
}

}  // namespace mc::query
