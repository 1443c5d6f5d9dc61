#include "common/query/arithmetic.hpp"

#include <cmath>
#include <limits>

#include "common/query/go_math.hpp"

namespace mc::query {

ElementOutcome apply_element_operator(TokenKind op, double lhs, double rhs) {
  switch (op) {
    case TokenKind::Add:
      return {lhs + rhs, true};
    case TokenKind::Sub:
      return {lhs - rhs, true};
    case TokenKind::Mul:
      return {lhs * rhs, true};
    case TokenKind::Div:
      return {lhs / rhs, true};
    case TokenKind::Pow:
      return {go_pow(lhs, rhs), true};
    case TokenKind::Mod:
      return {go_mod(lhs, rhs), true};
    case TokenKind::Atan2:
      return {go_atan2(lhs, rhs), true};
    case TokenKind::Eqlc:
      return {lhs, lhs == rhs};
    case TokenKind::Neq:
      return {lhs, lhs != rhs};
    case TokenKind::Gtr:
      return {lhs, lhs > rhs};
    case TokenKind::Lss:
      return {lhs, lhs < rhs};
    case TokenKind::Gte:
      return {lhs, lhs >= rhs};
    case TokenKind::Lte:
      return {lhs, lhs <= rhs};
    default:
      return {std::numeric_limits<double>::quiet_NaN(), false};
  }
}

double apply_scalar_operator(TokenKind op, double lhs, double rhs) {
  const ElementOutcome outcome = apply_element_operator(op, lhs, rhs);
  if (is_comparison_operator(op)) return outcome.keep ? 1 : 0;
  return outcome.value;
}

bool drops_metric_name(TokenKind op) {
  switch (op) {
    case TokenKind::Add:
    case TokenKind::Sub:
    case TokenKind::Mul:
    case TokenKind::Div:
    case TokenKind::Pow:
    case TokenKind::Mod:
      return true;
    default:
      return false;
  }
}

bool is_element_operator(TokenKind op) {
  return drops_metric_name(op) || op == TokenKind::Atan2 || is_comparison_operator(op);
}

}  // namespace mc::query
