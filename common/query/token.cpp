#include "common/query/token.hpp"

#include <array>
#include <utility>

#include "common/query/go_text.hpp"

namespace mc::query {
namespace {

struct KindText {
  TokenKind kind;
  std::string_view text;
};

constexpr std::array kKindTexts = {
    KindText{TokenKind::LeftParen, "("},
    KindText{TokenKind::RightParen, ")"},
    KindText{TokenKind::LeftBrace, "{"},
    KindText{TokenKind::RightBrace, "}"},
    KindText{TokenKind::LeftBracket, "["},
    KindText{TokenKind::RightBracket, "]"},
    KindText{TokenKind::Comma, ","},
    KindText{TokenKind::Assign, "="},
    KindText{TokenKind::Colon, ":"},
    KindText{TokenKind::Sub, "-"},
    KindText{TokenKind::Add, "+"},
    KindText{TokenKind::Mul, "*"},
    KindText{TokenKind::Mod, "%"},
    KindText{TokenKind::Div, "/"},
    KindText{TokenKind::Eqlc, "=="},
    KindText{TokenKind::Neq, "!="},
    KindText{TokenKind::Lte, "<="},
    KindText{TokenKind::Lss, "<"},
    KindText{TokenKind::Gte, ">="},
    KindText{TokenKind::Gtr, ">"},
    KindText{TokenKind::EqlRegex, "=~"},
    KindText{TokenKind::NeqRegex, "!~"},
    KindText{TokenKind::Pow, "^"},
    KindText{TokenKind::At, "@"},
    KindText{TokenKind::Land, "and"},
    KindText{TokenKind::Lor, "or"},
    KindText{TokenKind::Lunless, "unless"},
    KindText{TokenKind::Atan2, "atan2"},
    KindText{TokenKind::Sum, "sum"},
    KindText{TokenKind::Avg, "avg"},
    KindText{TokenKind::Count, "count"},
    KindText{TokenKind::Min, "min"},
    KindText{TokenKind::Max, "max"},
    KindText{TokenKind::Group, "group"},
    KindText{TokenKind::Stddev, "stddev"},
    KindText{TokenKind::Stdvar, "stdvar"},
    KindText{TokenKind::Topk, "topk"},
    KindText{TokenKind::Bottomk, "bottomk"},
    KindText{TokenKind::CountValues, "count_values"},
    KindText{TokenKind::Quantile, "quantile"},
    KindText{TokenKind::Offset, "offset"},
    KindText{TokenKind::By, "by"},
    KindText{TokenKind::Without, "without"},
    KindText{TokenKind::On, "on"},
    KindText{TokenKind::Ignoring, "ignoring"},
    KindText{TokenKind::GroupLeft, "group_left"},
    KindText{TokenKind::GroupRight, "group_right"},
    KindText{TokenKind::Bool, "bool"},
    KindText{TokenKind::Start, "start"},
    KindText{TokenKind::End, "end"},
};

bool between(TokenKind kind, TokenKind first, TokenKind last) {
  return kind >= first && kind <= last;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_lowercase(std::string_view word, std::string_view lowercase) {
  if (word.size() != lowercase.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (lower(word[i]) != lowercase[i]) return false;
  }
  return true;
}

}  // namespace

bool is_operator(TokenKind kind) { return between(kind, TokenKind::Add, TokenKind::Atan2); }
bool is_aggregator(TokenKind kind) { return between(kind, TokenKind::Avg, TokenKind::Topk); }
bool is_keyword(TokenKind kind) { return between(kind, TokenKind::Bool, TokenKind::Without); }

bool is_comparison_operator(TokenKind kind) {
  switch (kind) {
    case TokenKind::Eqlc:
    case TokenKind::Neq:
    case TokenKind::Lte:
    case TokenKind::Lss:
    case TokenKind::Gte:
    case TokenKind::Gtr:
      return true;
    default:
      return false;
  }
}

bool is_set_operator(TokenKind kind) {
  return kind == TokenKind::Land || kind == TokenKind::Lor || kind == TokenKind::Lunless;
}

bool is_aggregator_with_param(TokenKind kind) {
  return kind == TokenKind::Topk || kind == TokenKind::Bottomk || kind == TokenKind::CountValues ||
         kind == TokenKind::Quantile;
}

std::string_view token_kind_text(TokenKind kind) {
  for (const KindText& entry : kKindTexts) {
    if (entry.kind == kind) return entry.text;
  }
  return {};
}

TokenKind keyword_kind(std::string_view word) {
  // Only the words of Prometheus's key table: operators and "=" are not words.
  for (const KindText& entry : kKindTexts) {
    const bool is_word = is_keyword(entry.kind) || is_aggregator(entry.kind) ||
                         entry.kind == TokenKind::Land || entry.kind == TokenKind::Lor ||
                         entry.kind == TokenKind::Lunless || entry.kind == TokenKind::Atan2 ||
                         entry.kind == TokenKind::Start || entry.kind == TokenKind::End;
    if (is_word && equals_lowercase(word, entry.text)) return entry.kind;
  }
  if (equals_lowercase(word, "inf") || equals_lowercase(word, "nan")) return TokenKind::Number;
  return TokenKind::Identifier;
}

std::string describe_token(const Token& token) {
  // Item.String() of lex.go.
  const auto item_string = [&]() -> std::string {
    switch (token.kind) {
      case TokenKind::Eof:
        return "EOF";
      case TokenKind::Error:
        return token.text;
      case TokenKind::Identifier:
      case TokenKind::MetricIdentifier:
        return go_quote(token.text);
      default:
        break;
    }
    if (is_keyword(token.kind)) return "<" + token.text + ">";
    if (is_operator(token.kind)) return "<op:" + token.text + ">";
    if (is_aggregator(token.kind)) return "<aggr:" + token.text + ">";
    if (token.text.size() > 10) return go_quote_prefix(token.text, 10) + "...";
    return go_quote(token.text);
  };
  // Item.desc(): kinds with a canonical text print as the item alone.
  if (!token_kind_text(token.kind).empty()) return item_string();
  switch (token.kind) {
    case TokenKind::Eof:
      return "end of input";
    case TokenKind::Error:
      return "error " + item_string();
    case TokenKind::Comment:
      return "comment " + item_string();
    case TokenKind::Identifier:
      return "identifier " + item_string();
    case TokenKind::MetricIdentifier:
      return "metric identifier " + item_string();
    case TokenKind::String:
      return "string " + item_string();
    case TokenKind::Number:
      return "number " + item_string();
    case TokenKind::Duration:
      return "duration " + item_string();
    default:
      return item_string();
  }
}

}  // namespace mc::query
