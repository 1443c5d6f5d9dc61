// Shared by the operator and aggregation tests: instant vectors written
// compactly, and a vector as one line of text (labels as Go prints them,
// values as Go's %v) so that an expectation states labels, values and order
// at once.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "common/model/labels.hpp"
#include "common/query/ast.hpp"
#include "common/query/go_labels_text.hpp"
#include "common/query/go_text.hpp"
#include "common/query/parser.hpp"
#include "common/query/value.hpp"

namespace mc::query::testing {

inline VectorSample sample(std::initializer_list<Label> labels, double v) {
  return {Labels(labels), 0, v};
}

// "{a=\"1\"} 2, {} 3"
inline std::string text(const Vector& vector) {
  std::string out;
  for (const VectorSample& element : vector) {
    if (!out.empty()) out += ", ";
    out += go_labels_text(element.labels) + " " + go_format_float(element.v);
  }
  return out;
}

// The parsed expression, kept alive for the node the test hands on.
inline ExprPtr parsed(std::string_view query) {
  Result<ExprPtr> expr = parse_expr(query);
  if (!expr.is_ok()) throw std::runtime_error(expr.error());
  return std::move(expr.value());
}

}  // namespace mc::query::testing
