#include "common/query/evaluator.hpp"

#include <unordered_set>

#include "common/query/aggregate_evaluation.hpp"
#include "common/query/binary_evaluation.hpp"
#include "common/query/call_evaluation.hpp"
#include "common/query/eval_failure.hpp"
#include "common/query/function_args.hpp"
#include "common/query/matrix_selection.hpp"
#include "common/query/step_combination.hpp"
#include "common/query/step_invariance.hpp"
#include "common/query/vector_selection.hpp"
#include "common/util/stack_guard.hpp"

namespace mc::query {
namespace {

Matrix number_at_every_step(const Evaluator& ev, double value) {
  MatrixSeries series;
  series.points.reserve(ev.grid().size());
  ev.context().limits.take_samples(ev.grid().size());
  for (size_t step = 0; step < ev.grid().size(); ++step) {
    series.points.push_back(Sample{ev.grid().time(step), value});
  }
  Matrix out;
  if (!series.points.empty()) out.push_back(std::move(series));
  return out;
}

}  // namespace

Matrix Evaluator::eval(const Expr& expr) const {
  require_stack(kQueryStackReserve);
  ctx_.limits.check_deadline();
  if (grid_.size() > 1 && expr_type(expr) != ValueType::Matrix && is_step_invariant(expr)) {
    return eval_once_for_all_steps(expr);
  }
  if (const auto* number = expr.as<NumberLiteral>())
    return number_at_every_step(*this, number->value);
  if (const auto* selector = expr.as<VectorSelector>())
    return select_vector(ctx_, *selector, grid_);
  if (expr.as<MatrixSelector>() || expr.as<SubqueryExpr>()) return select_matrix(*this, expr);
  if (const auto* paren = expr.as<ParenExpr>()) return eval(*paren->expr);
  if (const auto* unary = expr.as<UnaryExpr>()) return eval_unary(*unary);
  if (const auto* binary = expr.as<BinaryExpr>()) return eval_binary(*this, *binary);
  if (const auto* aggregation = expr.as<AggregateExpr>())
    return eval_aggregate(*this, *aggregation);
  if (const auto* call = expr.as<Call>()) return eval_call(*this, *call);
  // Strings are read where they are arguments (eval_string); the engine
  // answers a string query without evaluating.
  fail_evaluation(QueryErrorKind::Internal, "a string cannot be evaluated as a series");
}

std::string Evaluator::eval_string(const Expr& expr) {
  if (const auto* literal = unwrap_parens(expr).as<StringLiteral>()) return literal->value;
  fail_evaluation(QueryErrorKind::Internal, "expected a string literal");
}

void Evaluator::release(const Matrix& matrix) const {
  ctx_.limits.release_samples(total_points(matrix));
}

Matrix Evaluator::eval_once_for_all_steps(const Expr& expr) const {
  const Evaluator first_step(ctx_, StepGrid{grid_.start_ms, grid_.start_ms, grid_.interval_ms});
  Matrix out = first_step.eval(expr);
  for (MatrixSeries& series : out) {
    if (series.points.empty()) continue;
    const double value = series.points.front().v;
    ctx_.limits.take_samples(grid_.size() - 1);
    series.points.reserve(grid_.size());
    for (size_t step = 1; step < grid_.size(); ++step) {
      series.points.push_back(Sample{grid_.time(step), value});
    }
  }
  return out;
}

Matrix Evaluator::eval_unary(const UnaryExpr& unary) const {
  Matrix out = eval(*unary.expr);
  if (unary.op != TokenKind::Sub) return out;
  for (MatrixSeries& series : out) {
    series.labels = drop_metric_name(series.labels);
    for (Sample& point : series.points) point.v = -point.v;
  }
  check_unique_labelsets(out);
  return out;
}

const Expr& unwrap_parens(const Expr& expr) {
  const Expr* at = &expr;
  while (const auto* paren = at->as<ParenExpr>()) at = paren->expr.get();
  return *at;
}

void check_unique_labelsets(const Matrix& matrix) {
  std::unordered_set<Labels, LabelsHash> seen;
  for (const MatrixSeries& series : matrix) {
    if (!seen.insert(series.labels).second) {
      fail_evaluation(QueryErrorKind::Execution, kDuplicateLabelsetMessage);
    }
  }
}

}  // namespace mc::query
