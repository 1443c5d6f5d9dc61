#include "common/store/matcher.hpp"

#include <catch2/catch.hpp>

using mc::Matcher;
using Kind = mc::Matcher::Kind;

namespace {

Matcher make(Kind kind, std::string value) {
  auto matcher = Matcher::make(kind, "job", std::move(value));
  REQUIRE(matcher.is_ok());
  return *matcher;
}

}  // namespace

TEST_CASE("equality matchers compare whole values, and a missing label is empty",
          "[store][matcher]") {
  REQUIRE(make(Kind::equal, "api").matches("api"));
  REQUIRE_FALSE(make(Kind::equal, "api").matches("api2"));
  REQUIRE(make(Kind::equal, "").matches(""));
  REQUIRE(make(Kind::not_equal, "api").matches("web"));
  REQUIRE_FALSE(make(Kind::not_equal, "api").matches("api"));
  REQUIRE(make(Kind::not_equal, "").matches("x"));
}

TEST_CASE("regex matchers are fully anchored, alternations included", "[store][matcher]") {
  const auto prefix = make(Kind::regex, "a.*");
  REQUIRE(prefix.matches("abc"));
  REQUIRE_FALSE(prefix.matches("xabc"));
  const auto either = make(Kind::regex, "foo|bar");
  REQUIRE(either.matches("foo"));
  REQUIRE(either.matches("bar"));
  REQUIRE_FALSE(either.matches("foobar"));
  REQUIRE_FALSE(either.matches("xbar"));
  REQUIRE(make(Kind::regex, "").matches(""));
  REQUIRE_FALSE(make(Kind::regex, "").matches("x"));
  REQUIRE(make(Kind::regex, "api").matches("api"));
  REQUIRE_FALSE(make(Kind::regex, "api").matches("api-1"));
  REQUIRE(make(Kind::regex, ".+").matches("x"));
  REQUIRE_FALSE(make(Kind::regex, ".+").matches(""));
  REQUIRE(make(Kind::regex, "[a.]+").matches("a.a"));
  REQUIRE_FALSE(make(Kind::regex, "[a.]+").matches("ab"));
  REQUIRE(make(Kind::regex, "a\\.b").matches("a.b"));
  REQUIRE_FALSE(make(Kind::regex, "a\\.b").matches("axb"));
}

TEST_CASE("regex dot does not match a newline, as in Prometheus 2.42", "[store][matcher]") {
  REQUIRE_FALSE(make(Kind::regex, ".*").matches("line1\nline2"));
  REQUIRE_FALSE(make(Kind::regex, "line1.line2").matches("line1\nline2"));
  REQUIRE(make(Kind::regex, "line1\nline2").matches("line1\nline2"));
  REQUIRE(make(Kind::regex, "(?s)l.*2").matches("line1\nline2"));
  REQUIRE(make(Kind::not_regex, ".*").matches("line1\nline2"));
}

TEST_CASE("regexes have Go's syntax, which ECMAScript rejects or reads differently",
          "[store][matcher]") {
  const auto case_insensitive = make(Kind::regex, "(?i)abc");
  REQUIRE(case_insensitive.matches("ABC"));
  REQUIRE(case_insensitive.matches("aBc"));
  REQUIRE_FALSE(case_insensitive.matches("abcd"));
  // \pL: any Unicode letter, matched on UTF-8 as Go does.
  const auto letters = make(Kind::regex, "\\pL+");
  REQUIRE(letters.matches("h\xc3\xa9llo"));  // "héllo"
  REQUIRE_FALSE(letters.matches("hello1"));
  // \Q...\E quotes: the "." and "*" are literal.
  const auto quoted = make(Kind::regex, "\\Qa.*\\E");
  REQUIRE(quoted.matches("a.*"));
  REQUIRE_FALSE(quoted.matches("abc"));
  REQUIRE(make(Kind::regex, "(?P<name>x)y").matches("xy"));
  REQUIRE(make(Kind::regex, "[[:digit:]]+").matches("123"));
}

TEST_CASE("a pattern that makes a backtracking matcher recurse per character is linear",
          "[store][matcher]") {
  // std::regex recursed once per input character here and overflowed the stack
  // long before the end of this input; RE2 never backtracks.
  const std::string long_input(200'000, 'a');
  const auto nested = make(Kind::regex, "(a*)*b");
  REQUIRE_FALSE(nested.matches(long_input));
  REQUIRE(nested.matches(long_input + "b"));
  REQUIRE(make(Kind::regex, "(a|aa)*").matches(long_input));
}

TEST_CASE("a regex matcher sees a missing label, a view of no data, as empty", "[store][matcher]") {
  // Labels::get returns a default string_view for an absent label.
  REQUIRE(make(Kind::regex, "a*|x").matches(std::string_view()));
  REQUIRE_FALSE(make(Kind::regex, "a+").matches(std::string_view()));
  REQUIRE(make(Kind::not_regex, "a+").matches(std::string_view()));
}

TEST_CASE("negative regex matchers invert the anchored match", "[store][matcher]") {
  const auto not_prefix = make(Kind::not_regex, "a.*");
  REQUIRE_FALSE(not_prefix.matches("abc"));
  REQUIRE(not_prefix.matches("xabc"));
  REQUIRE(not_prefix.matches(""));
  REQUIRE_FALSE(make(Kind::not_regex, ".*").matches("anything"));
  REQUIRE(make(Kind::not_regex, "api").matches("web"));
}

TEST_CASE("a bad regex is an error naming the pattern, the label and Go's reason",
          "[store][matcher]") {
  auto bad = Matcher::make(Kind::regex, "instance", "a(b");
  REQUIRE_FALSE(bad.is_ok());
  REQUIRE(bad.error() ==
          "invalid regular expression \"a(b\" in matcher on \"instance\": error parsing regexp: "
          "missing closing ): `^(?:a(b)$`");
  auto bad_range = Matcher::make(Kind::not_regex, "x", "[z-a]");
  REQUIRE_FALSE(bad_range.is_ok());
  REQUIRE_THAT(bad_range.error(),
               Catch::EndsWith("error parsing regexp: invalid character class range: `z-a`"));
  // A back-reference is ECMAScript; Go and RE2 have none.
  auto back_reference = Matcher::make(Kind::regex, "x", "(a)\\1");
  REQUIRE_FALSE(back_reference.is_ok());
  REQUIRE_THAT(back_reference.error(),
               Catch::EndsWith("error parsing regexp: invalid escape sequence: `\\1`"));
  REQUIRE_FALSE(Matcher::make(Kind::regex, "x", "a**").is_ok());
  REQUIRE(Matcher::make(Kind::equal, "x", "a(b").is_ok());  // only regex kinds parse
}

TEST_CASE("matchers copy cheaply and keep working", "[store][matcher]") {
  const Matcher original = make(Kind::regex, "(web|api)-[0-9]+");
  const Matcher copy = original;
  REQUIRE(copy.matches("web-12"));
  REQUIRE_FALSE(copy.matches("web-"));
  REQUIRE(copy.kind() == Kind::regex);
  REQUIRE(copy.name() == "job");
  REQUIRE(copy.value() == "(web|api)-[0-9]+");
}
