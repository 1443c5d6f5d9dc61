#include "common/query/step_invariance.hpp"

#include <algorithm>
#include <string_view>

namespace mc::query {
namespace {

// Functions whose value depends on the evaluation time itself (Prometheus's
// AtModifierUnsafeFunctions): the date functions without an argument,
// time(), predict_linear's extrapolation, and timestamp().
bool reads_evaluation_time(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "days_in_month", "day_of_month", "day_of_week",    "day_of_year", "hour",     "minute",
      "month",         "year",         "predict_linear", "time",        "timestamp"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

}  // namespace

bool is_step_invariant(const Expr& expr) {
  if (expr.as<NumberLiteral>() || expr.as<StringLiteral>()) return true;
  if (const auto* selector = expr.as<VectorSelector>()) return selector->modifiers.has_at();
  if (const auto* range = expr.as<MatrixSelector>()) return range->selector.modifiers.has_at();
  if (const auto* subquery = expr.as<SubqueryExpr>()) return subquery->modifiers.has_at();
  if (const auto* paren = expr.as<ParenExpr>()) return is_step_invariant(*paren->expr);
  if (const auto* unary = expr.as<UnaryExpr>()) return is_step_invariant(*unary->expr);
  if (const auto* binary = expr.as<BinaryExpr>()) {
    return is_step_invariant(*binary->lhs) && is_step_invariant(*binary->rhs);
  }
  if (const auto* aggregation = expr.as<AggregateExpr>()) {
    return is_step_invariant(*aggregation->expr) &&
           (!aggregation->param || is_step_invariant(*aggregation->param));
  }
  if (const auto* call = expr.as<Call>()) {
    if (reads_evaluation_time(call->function->name)) return false;
    return std::all_of(call->args.begin(), call->args.end(),
                       [](const ExprPtr& arg) { return is_step_invariant(*arg); });
  }
  return false;
}

}  // namespace mc::query
