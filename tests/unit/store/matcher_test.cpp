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

TEST_CASE("regex dot matches a newline, as in Prometheus 3", "[store][matcher]") {
  REQUIRE(make(Kind::regex, ".*").matches("line1\nline2"));
  REQUIRE(make(Kind::regex, "line1.line2").matches("line1\nline2"));
  REQUIRE(make(Kind::regex, "l.*2").matches("line1\nline2"));
}

TEST_CASE("negative regex matchers invert the anchored match", "[store][matcher]") {
  const auto not_prefix = make(Kind::not_regex, "a.*");
  REQUIRE_FALSE(not_prefix.matches("abc"));
  REQUIRE(not_prefix.matches("xabc"));
  REQUIRE(not_prefix.matches(""));
  REQUIRE_FALSE(make(Kind::not_regex, ".*").matches("anything"));
  REQUIRE(make(Kind::not_regex, "api").matches("web"));
}

TEST_CASE("a bad regex is an error naming the pattern and label", "[store][matcher]") {
  auto bad = Matcher::make(Kind::regex, "instance", "a(b");
  REQUIRE_FALSE(bad.is_ok());
  REQUIRE_THAT(bad.error(), Catch::Contains("a(b") && Catch::Contains("instance"));
  REQUIRE_FALSE(Matcher::make(Kind::not_regex, "x", "[z-a]").is_ok());
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
