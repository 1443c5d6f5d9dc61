// The value side of PromQL's binary operators on one pair of numbers, as
// Prometheus 2.42's vectorElemBinop and scalarBinop compute it: + - * / % ^
// atan2 with Go's float semantics, and the comparisons, which between
// vector elements filter (keep the left value or drop the pair) and between
// scalars give 0 or 1.
//
// Pure functions; safe from any thread.
#pragma once

#include "common/query/token.hpp"

namespace mc::query {

struct ElementOutcome {
  double value = 0;
  bool keep = true;  // false: a comparison that does not hold
};

// One pair of vector elements (or an element and a scalar). A comparison
// keeps lhs as the value. REQUIRES: op is an arithmetic or comparison operator.
ElementOutcome apply_element_operator(TokenKind op, double lhs, double rhs);

// Two scalars: comparisons give 1 or 0. REQUIRES: op is an arithmetic or
// comparison operator; any other gives NaN.
double apply_scalar_operator(TokenKind op, double lhs, double rhs);

// Whether the operator's result loses __name__: + - * / % ^ do; comparisons
// and, as in Prometheus 2.42, atan2 do not (bool drops it separately).
bool drops_metric_name(TokenKind op);

// Whether op is one apply_element_operator knows.
bool is_element_operator(TokenKind op);

}  // namespace mc::query
