#include "common/query/printer.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "common/query/go_text.hpp"

namespace mc::query {
namespace {

ExprPtr number(double value) {
  auto expr = std::make_unique<Expr>();
  expr->node = NumberLiteral{value};
  return expr;
}

ExprPtr selector(std::string name, std::vector<LabelMatcher> matchers = {}) {
  VectorSelector vs;
  vs.name = name;
  vs.matchers = std::move(matchers);
  if (!name.empty())
    vs.matchers.push_back(make_label_matcher(MatchType::Equal, "__name__", name).value());
  auto expr = std::make_unique<Expr>();
  expr->node = std::move(vs);
  return expr;
}

TEST_CASE("printer writes numbers as Go's %v does") {
  CHECK(go_format_float(1) == "1");
  CHECK(go_format_float(-2.5) == "-2.5");
  CHECK(go_format_float(100000) == "100000");
  CHECK(go_format_float(1e6) == "1e+06");
  CHECK(go_format_float(1234567) == "1.234567e+06");
  CHECK(go_format_float(0.0001) == "0.0001");
  CHECK(go_format_float(0.00001) == "1e-05");
  CHECK(go_format_float(1e300) == "1e+300");
  CHECK(go_format_float(0.1 + 0.2) == "0.30000000000000004");
  CHECK(go_format_float(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(go_format_float(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(go_format_float(std::nan("")) == "NaN");
  CHECK(to_string(*number(-0.5)) == "-0.5");
}

TEST_CASE("printer quotes strings and runes as Go's strconv does") {
  CHECK(go_quote("plain") == "\"plain\"");
  CHECK(go_quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(go_quote("\x01\x7f\n") == "\"\\x01\\x7f\\n\"");
  CHECK(go_quote("\xff") == "\"\\xff\"");
  CHECK(go_quote("é☺") == "\"é☺\"");
  CHECK(go_quote("\u200b") == "\"\\u200b\"");
  CHECK(go_quote_prefix("0123456789abc", 10) == "\"0123456789\"");
  CHECK(go_quote_rune('\'') == "'\\''");
  CHECK(go_quote_rune('x') == "'x'");
  CHECK(go_quote_rune(static_cast<char32_t>(-1)) == "'\xEF\xBF\xBD'");
  CHECK(go_unicode_name('q') == "U+0071 'q'");
  CHECK(go_unicode_name('\n') == "U+000A");
}

TEST_CASE(
    "printer writes a selector with sorted matchers, without the name's matcher, then @ and "
    "offset") {
  auto expr = selector("up", {make_label_matcher(MatchType::Regex, "z", "a|b").value(),
                              make_label_matcher(MatchType::NotEqual, "a", "x\"y").value()});
  auto& vs = std::get<VectorSelector>(expr->node);
  vs.modifiers.offset = std::chrono::milliseconds(-90000);
  vs.modifiers.at_ms = 1500;
  CHECK(to_string(*expr) == "up{a!=\"x\\\"y\",z=~\"a|b\"} @ 1.500 offset -1m30s");
  // A __name__ matcher that is not the name's own stays.
  auto renamed = selector("", {make_label_matcher(MatchType::Equal, "__name__", "up").value()});
  CHECK(to_string(*renamed) == "{__name__=\"up\"}");
}

TEST_CASE("printer writes aggregations, calls and binary matching as Prometheus does") {
  AggregateExpr topk;
  topk.op = TokenKind::Topk;
  topk.param = number(3);
  topk.expr = selector("foo");
  topk.grouping = {"a", "b"};
  Expr aggregate{std::move(topk), {}};
  CHECK(to_string(aggregate) == "topk by (a, b) (3, foo)");

  Call call;
  call.function = find_function("clamp");
  REQUIRE(call.function);
  call.args.push_back(selector("foo"));
  call.args.push_back(number(0));
  call.args.push_back(number(1));
  Expr clamp{std::move(call), {}};
  CHECK(to_string(clamp) == "clamp(foo, 0, 1)");

  BinaryExpr binary;
  binary.op = TokenKind::Div;
  binary.lhs = selector("a");
  binary.rhs = selector("b");
  binary.matching = VectorMatching{Cardinality::OneToMany, {"x"}, false, {"y"}};
  Expr division{std::move(binary), {}};
  CHECK(to_string(division) == "a / ignoring (x) group_right (y) b");
}

TEST_CASE("printer writes subqueries with an empty step and their modifiers after the brackets") {
  SubqueryExpr subquery;
  subquery.expr = selector("foo");
  subquery.range = std::chrono::hours(1);
  subquery.modifiers.at_preprocessor = AtPreprocessor::End;
  subquery.modifiers.offset = std::chrono::milliseconds(5);
  Expr expr{std::move(subquery), {}};
  CHECK(to_string(expr) == "foo[1h:] @ end() offset 5ms");
}

}  // namespace
}  // namespace mc::query
