#include "common/query/lexer.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace mc::query {
namespace {

// "Kind:text" for each token but the last (Eof), or the error's message.
std::vector<std::string> kinds(std::string_view query) {
  std::vector<std::string> out;
  for (const Token& token : lex(query)) {
    if (token.kind == TokenKind::Eof) break;
    if (token.kind == TokenKind::Error) {
      out.push_back("error@" + std::to_string(token.position) + ":" + token.text);
      break;
    }
    out.push_back(token.text);
  }
  return out;
}

TEST_CASE("lexer splits an expression into Prometheus's tokens") {
  using V = std::vector<std::string>;
  CHECK(kinds("sum by(job)(rate(foo{a=~\"b\"}[5m]))") == V{"sum", "by", "(", "job", ")", "(",
                                                           "rate", "(", "foo", "{", "a", "=~",
                                                           "\"b\"", "}", "[", "5m", "]", ")", ")"});
  CHECK(kinds("a>=b<=c!=d==e") == V{"a", ">=", "b", "<=", "c", "!=", "d", "==", "e"});
  CHECK(kinds("foo offset -5m @ 1.5") == V{"foo", "offset", "-", "5m", "@", "1.5"});
  CHECK(kinds("x[1h:5m]") == V{"x", "[", "1h", ":", "5m", "]"});
  CHECK(kinds("0x1F 1e-3 .5 Inf nan 1h30m") == V{"0x1F", "1e-3", ".5", "Inf", "nan", "1h30m"});
  CHECK(kinds("`raw\\n` 'single' \"d\\\"q\"") == V{"`raw\\n`", "'single'", "\"d\\\"q\""});
}

TEST_CASE(
    "lexer kinds: keywords are case-insensitive words, names with colons are metric identifiers") {
  const auto tokens = lex("SUM By AND foo:bar foo offset inf");
  REQUIRE(tokens.size() == 8);
  CHECK(tokens[0].kind == TokenKind::Sum);
  CHECK(tokens[1].kind == TokenKind::By);
  CHECK(tokens[2].kind == TokenKind::Land);
  CHECK(tokens[3].kind == TokenKind::MetricIdentifier);
  CHECK(tokens[4].kind == TokenKind::Identifier);
  CHECK(tokens[5].kind == TokenKind::Offset);
  CHECK(tokens[6].kind == TokenKind::Number);
  CHECK(tokens[6].position == 30);
}

TEST_CASE("lexer treats keywords inside braces as label names and skips comments") {
  const auto tokens = lex("foo{by=\"x\"} # trailing comment\n+ 1");
  REQUIRE(tokens.size() >= 7);
  CHECK(tokens[2].kind == TokenKind::Identifier);
  CHECK(tokens[6].kind == TokenKind::Comment);
  CHECK(tokens[6].text == "# trailing comment");
}

TEST_CASE("lexer errors carry Prometheus's messages and the failing token's start") {
  using V = std::vector<std::string>;
  CHECK(kinds("(foo") == V{"(", "foo", "error@4:unclosed left parenthesis"});
  CHECK(kinds("foo)") == V{"foo", "error@4:unexpected right parenthesis ')'"});
  CHECK(kinds("foo[5m") == V{"foo", "[", "5m", "error@6:unclosed left bracket"});
  CHECK(kinds("foo{") == V{"foo", "{", "error@4:unexpected end of input inside braces"});
  CHECK(kinds("foo{a?") == V{"foo", "{", "a", "error@5:unexpected character inside braces: '?'"});
  CHECK(kinds("foo{{") == V{"foo", "{", "error@4:unexpected left brace '{'"});
  CHECK(kinds("foo[5]") == V{"foo", "[", "error@4:missing unit character in duration"});
  CHECK(kinds("foo[5mm]") == V{"foo", "[", "error@4:bad duration syntax: \"5mm\""});
  CHECK(kinds("1a") == V{"error@0:bad number or duration syntax: \"1\""});
  CHECK(kinds("1mx") == V{"error@0:bad number or duration syntax: \"1mx\""});
  CHECK(kinds("a =~ b") == V{"a", "error@2:unexpected character after '=': '~'"});
  CHECK(kinds("a ! b") == V{"a", "error@2:unexpected character after '!': ' '"});
  CHECK(kinds("a $") == V{"a", "error@2:unexpected character: '$'"});
  CHECK(kinds("]") == V{"error@0:unexpected right bracket ']'"});
  CHECK(kinds("\"abc") == V{"error@0:unterminated quoted string"});
  CHECK(kinds("\"a\nb\"") == V{"error@0:unterminated quoted string"});
  CHECK(kinds("`abc") == V{"error@0:unterminated raw string"});
  CHECK(kinds("\"\\q\"") == V{"error@0:unknown escape sequence U+0071 'q'"});
  CHECK(kinds("'\\\"'") == V{"error@0:unknown escape sequence U+0022 '\"'"});
  CHECK(kinds("\"\\xZZ\"") == V{"error@0:illegal character U+005A 'Z' in escape sequence"});
  CHECK(kinds("\"\\uD800\"") == V{"error@0:escape sequence is an invalid Unicode code point"});
  CHECK(kinds("\"\\") == V{"error@0:escape sequence not terminated"});
  CHECK(kinds("\"\xff\"") == V{"error@0:invalid UTF-8 rune"});
  CHECK(kinds("foo[5m][") ==
        V{"foo", "[", "5m", "]", "[", "error@8:missing unit character in duration"});
}

}  // namespace
}  // namespace mc::query
