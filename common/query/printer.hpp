// Writes a PromQL tree back as text, exactly as Prometheus 2.42's String()
// methods do (promql/parser/printer.go): "sum by (job) (rate(foo[5m] offset 1h))".
// Tests use it to check what the parser built; the API will echo queries with it.
//
// Pure function; safe from any thread.
#pragma once

#include <string>

#include "common/query/ast.hpp"

namespace mc::query {

std::string to_string(const Expr& expr);

}  // namespace mc::query
