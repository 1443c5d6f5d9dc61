// The PromQL parser of Prometheus 2.42 (promql/parser: generated_parser.y,
// parse.go): the same grammar, precedence and associativity, the same
// semantic checks (offset/@ placement, aggregation and function arguments,
// selector rules) and the same type checks (checkAST), with Prometheus's
// error messages and positions.
//
// Syntax errors name the unexpected token as Prometheus's yacc error
// productions do ("unexpected identifier \"b\" in label matching, expected
// \",\" or \"}\""); only the first error is reported, as 2.42 does.
//
// Pure function; safe from any thread.
#pragma once

#include <string_view>

#include "common/query/ast.hpp"
#include "common/query/parse_error.hpp"
#include "common/util/status.hpp"

namespace mc::query {

struct ParseResult {
  ExprPtr expr;  // null on error
  ParseError error;

  bool ok() const { return expr != nullptr; }
};

// The tree, or the first error with its byte position.
ParseResult parse(std::string_view query);

// The same, with the error formatted as Prometheus prints it:
// "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector".
Result<ExprPtr> parse_expr(std::string_view query);

}  // namespace mc::query
