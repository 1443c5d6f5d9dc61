// The tokens of PromQL as Prometheus 2.42's lexer (promql/parser/lex.go)
// produces them, and how its parser names a token in an error message
// ("unexpected identifier \"foo\"", "unexpected <op:+>", "unexpected end of input").
//
// The kinds keep Prometheus's grouping (operators, aggregators, keywords,
// preprocessors) because the error text depends on the group.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mc::query {

enum class TokenKind {
  Error,  // the text is the lexer's message
  Eof,
  Comment,
  Identifier,
  MetricIdentifier,  // an identifier with a colon
  LeftParen,
  RightParen,
  LeftBrace,
  RightBrace,
  LeftBracket,
  RightBracket,
  Comma,
  Assign,  // "=" (EQL): label matching only
  Colon,
  Number,
  String,
  Duration,
  // Operators.
  Add,
  Div,
  Eqlc,
  EqlRegex,
  Gte,
  Gtr,
  Land,
  Lor,
  Lss,
  Lte,
  Lunless,
  Mod,
  Mul,
  Neq,
  NeqRegex,
  Pow,
  Sub,
  At,
  Atan2,
  // Aggregators.
  Avg,
  Bottomk,
  Count,
  CountValues,
  Group,
  Max,
  Min,
  Quantile,
  Stddev,
  Stdvar,
  Sum,
  Topk,
  // Keywords.
  Bool,
  By,
  GroupLeft,
  GroupRight,
  Ignoring,
  Offset,
  On,
  Without,
  // Preprocessors of the @ modifier.
  Start,
  End,
};

struct Token {
  TokenKind kind = TokenKind::Eof;
  size_t position = 0;  // byte offset in the query
  std::string text;     // the source text, or the message of an Error token

  size_t end() const { return position + text.size(); }
};

bool is_operator(TokenKind kind);
bool is_aggregator(TokenKind kind);
bool is_keyword(TokenKind kind);
bool is_comparison_operator(TokenKind kind);
bool is_set_operator(TokenKind kind);
// topk, bottomk, quantile, count_values: a parameter before the vector.
bool is_aggregator_with_param(TokenKind kind);

// Prometheus's canonical spelling ("+", "and", "sum", "group_left", "("), or
// an empty view for kinds that have none (identifiers, numbers ...).
std::string_view token_kind_text(TokenKind kind);
// The keyword, aggregator, operator or special number a word lexes to
// (case-insensitive); Identifier when it is none of them.
TokenKind keyword_kind(std::string_view word);

// How Prometheus's parser names the token after "unexpected ".
std::string describe_token(const Token& token);

}  // namespace mc::query
