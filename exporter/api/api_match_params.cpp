#include "exporter/api/api_match_params.hpp"

#include <algorithm>

#include "common/query/ast.hpp"
#include "common/query/lexer.hpp"
#include "common/query/parse_error.hpp"
#include "common/query/parser.hpp"

namespace mc::api {

namespace {

constexpr std::string_view kEmptyMatcherSet = "match[] must contain at least one non-empty matcher";
// The parser's own check, which 2.42's selector parser leaves to the API.
constexpr std::string_view kParserEmptySelector =
    "vector selector must contain at least one non-empty matcher";

bool is_word(query::TokenKind kind) {
  using query::TokenKind;
  return kind == TokenKind::Identifier || kind == TokenKind::MetricIdentifier ||
         query::is_aggregator(kind) || query::is_keyword(kind) || (query::is_set_operator(kind));
}

// The first token past `name{...}`, which a selector alone must not have;
// nullopt when the selector is all there is.
std::optional<query::Token> token_after_selector(std::string_view text) {
  std::vector<query::Token> tokens = query::lex(text);
  std::erase_if(tokens,
                [](const query::Token& token) { return token.kind == query::TokenKind::Comment; });
  size_t at = 0;
  if (at < tokens.size() && is_word(tokens[at].kind)) ++at;
  if (at < tokens.size() && tokens[at].kind == query::TokenKind::LeftBrace) {
    while (at < tokens.size() && tokens[at].kind != query::TokenKind::RightBrace &&
           tokens[at].kind != query::TokenKind::Eof && tokens[at].kind != query::TokenKind::Error) {
      ++at;
    }
    if (at < tokens.size() && tokens[at].kind == query::TokenKind::RightBrace) ++at;
  }
  if (at >= tokens.size() || tokens[at].kind == query::TokenKind::Eof) return std::nullopt;
  return tokens[at];
}

Matcher::Kind store_kind(query::MatchType type) {
  switch (type) {
    case query::MatchType::Equal:
      return Matcher::Kind::equal;
    case query::MatchType::NotEqual:
      return Matcher::Kind::not_equal;
    case query::MatchType::Regex:
      return Matcher::Kind::regex;
    case query::MatchType::NotRegex:
      return Matcher::Kind::not_regex;
  }
  return Matcher::Kind::equal;
}

// An empty selector is "unexpected end of input" to 2.42's selector parser,
// where the expression parser says "no expression found in input".
std::optional<size_t> empty_selector_end(std::string_view text) {
  for (const query::Token& token : query::lex(text)) {
    if (token.kind == query::TokenKind::Comment) continue;
    if (token.kind == query::TokenKind::Eof) return token.position;
    return std::nullopt;
  }
  return std::nullopt;
}

Result<MatcherSet> parse_selector(std::string_view text) {
  if (const std::optional<size_t> end = empty_selector_end(text)) {
    return Status::error(query::format_parse_error(text, {*end, "unexpected end of input"}));
  }
  query::ParseResult parsed = query::parse(text);
  const std::optional<query::Token> extra = token_after_selector(text);
  if (!parsed.ok()) {
    if (parsed.error.message == kParserEmptySelector && !extra) {
      return Status::error(std::string(kEmptyMatcherSet));
    }
    return Status::error(query::format_parse_error(text, parsed.error));
  }
  const auto* selector = parsed.expr->as<query::VectorSelector>();
  if (selector == nullptr || extra) {
    query::ParseError unexpected;
    unexpected.position = extra ? extra->position : text.size();
    unexpected.message =
        "unexpected " + (extra ? query::describe_token(*extra) : std::string("end of input"));
    return Status::error(query::format_parse_error(text, unexpected));
  }
  MatcherSet matchers;
  for (const query::LabelMatcher& matcher : selector->matchers) {
    auto made = Matcher::make(store_kind(matcher.type()), matcher.name(), matcher.value());
    if (!made) return made.status();
    matchers.push_back(std::move(*made));
  }
  const bool all_match_empty =
      std::ranges::all_of(matchers, [](const Matcher& m) { return m.matches(""); });
  if (all_match_empty) return Status::error(std::string(kEmptyMatcherSet));
  return matchers;
}

}  // namespace

Result<std::vector<MatcherSet>> parse_match_params(const std::vector<std::string_view>& selectors) {
  std::vector<MatcherSet> sets;
  sets.reserve(selectors.size());
  for (std::string_view selector : selectors) {
    auto matchers = parse_selector(selector);
    if (!matchers) return matchers.status();
    sets.push_back(std::move(*matchers));
  }
  return sets;
}

}  // namespace mc::api
