// A binary operator over two scalars, a vector and a scalar, or two vectors,
// step by step through operators.hpp.
#pragma once

#include "common/query/ast.hpp"
#include "common/query/evaluator.hpp"

namespace mc::query {

Matrix eval_binary(const Evaluator& ev, const BinaryExpr& binary);

}  // namespace mc::query
