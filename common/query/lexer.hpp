// The PromQL lexer of Prometheus 2.42 (promql/parser/lex.go): the same tokens
// at the same byte positions, and the same error messages ("unclosed left
// parenthesis", "bad number or duration syntax: \"1a\"", "unexpected character
// inside braces: '?'"), since the parser reports them as they are.
//
// It is modal as Prometheus's is: inside braces keywords are plain
// identifiers, right after "[" only a duration is accepted.
#pragma once

#include <string_view>
#include <vector>

#include "common/query/token.hpp"

namespace mc::query {

// Every token of the query in order, comments included; the last is Eof or an
// Error token (whose position is where the failing token began).
std::vector<Token> lex(std::string_view query);

}  // namespace mc::query
