// api_match_params: match[] selectors become store matchers; anything more
// than a selector, or a selector that matches everything, is refused with
// Prometheus 2.42's message.
#include "exporter/api/api_match_params.hpp"

#include <catch2/catch.hpp>

namespace mc::api {
namespace {

std::string refusal(std::string_view selector) {
  auto parsed = parse_match_params({selector});
  REQUIRE_FALSE(parsed.is_ok());
  return parsed.error();
}

TEST_CASE("selectors become one matcher set each", "[exporter][api]") {
  auto parsed = parse_match_params({"up", R"({job=~"a.*", instance!="x"})"});
  REQUIRE(parsed.is_ok());
  REQUIRE(parsed->size() == 2);
  const MatcherSet& up = (*parsed)[0];
  REQUIRE(up.size() == 1);
  CHECK(up[0].name() == "__name__");
  CHECK(up[0].kind() == Matcher::Kind::equal);
  CHECK(up[0].value() == "up");
  const MatcherSet& job = (*parsed)[1];
  REQUIRE(job.size() == 2);
  CHECK(job[0].name() == "job");
  CHECK(job[0].kind() == Matcher::Kind::regex);
  CHECK(job[0].matches("abc"));
  CHECK_FALSE(job[0].matches("xabc"));
  CHECK(job[1].kind() == Matcher::Kind::not_equal);
  CHECK(parse_match_params({})->empty());
}

TEST_CASE("what is not a plain selector is refused where Prometheus refuses it",
          "[exporter][api]") {
  CHECK(refusal("sum(up)") == "1:4: parse error: unexpected \"(\"");
  CHECK(refusal("up{") == "1:4: parse error: unexpected end of input inside braces");
  CHECK(refusal("up + 1") == "1:4: parse error: unexpected <op:+>");
  CHECK(refusal("up[5m]") == "1:3: parse error: unexpected \"[\"");
  CHECK(refusal("up offset 5m") == "1:4: parse error: unexpected <offset>");
  CHECK(refusal(R"({__name__=~"a.*"}[5m])") == "1:18: parse error: unexpected \"[\"");
  CHECK(refusal("") == "1:1: parse error: unexpected end of input");
}

TEST_CASE("a selector that matches the empty string everywhere is refused", "[exporter][api]") {
  CHECK(refusal(R"({a=""})") == "match[] must contain at least one non-empty matcher");
  CHECK(refusal(R"({a=~".*"})") == "match[] must contain at least one non-empty matcher");
  CHECK(parse_match_params({R"({a=~".+"})"}).is_ok());
}

}  // namespace
}  // namespace mc::api
