#include "common/query/ast.hpp"

namespace mc::query {

ValueType expr_type(const Expr& expr) {
  struct Visitor {
    ValueType operator()(const NumberLiteral&) const { return ValueType::Scalar; }
    ValueType operator()(const StringLiteral&) const { return ValueType::String; }
    ValueType operator()(const VectorSelector&) const { return ValueType::Vector; }
    ValueType operator()(const MatrixSelector&) const { return ValueType::Matrix; }
    ValueType operator()(const SubqueryExpr&) const { return ValueType::Matrix; }
    ValueType operator()(const ParenExpr& paren) const { return expr_type(*paren.expr); }
    ValueType operator()(const UnaryExpr& unary) const { return expr_type(*unary.expr); }
    ValueType operator()(const BinaryExpr& binary) const {
      if (expr_type(*binary.lhs) == ValueType::Scalar &&
          expr_type(*binary.rhs) == ValueType::Scalar) {
        return ValueType::Scalar;
      }
      return ValueType::Vector;
    }
    ValueType operator()(const AggregateExpr&) const { return ValueType::Vector; }
    ValueType operator()(const Call& call) const { return call.function->return_type; }
  };
  return std::visit(Visitor{}, expr.node);
}

}  // namespace mc::query
