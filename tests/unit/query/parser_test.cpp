#include "common/query/parser.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "common/query/printer.hpp"

namespace mc::query {
namespace {

std::string printed(std::string_view query) {
  auto parsed = parse_expr(query);
  if (!parsed) return "ERROR " + parsed.error();
  return to_string(**parsed);
}

std::string error_of(std::string_view query) {
  auto parsed = parse_expr(query);
  if (parsed) return "parsed as " + to_string(**parsed);
  return parsed.error();
}

// Valid expressions and the text Prometheus 2.42 prints for them.
const std::vector<std::pair<std::string, std::string>> kValid = {
    // Numbers.
    {"1", "1"},
    {"+Inf", "+Inf"},
    {"-Inf", "-Inf"},
    {"inF", "+Inf"},
    {"NaN", "NaN"},
    {"nAN", "NaN"},
    {".5", "0.5"},
    {"5.", "5"},
    {"123.4567", "123.4567"},
    {"5e-3", "0.005"},
    {"5e3", "5000"},
    {"1e6", "1e+06"},
    {"123456", "123456"},
    {"1e-5", "1e-05"},
    {"0xc", "12"},
    {"0x1F", "31"},
    {"0755", "493"},
    {"089", "89"},
    {"+5.5e-3", "0.0055"},
    {"-0755", "-493"},
    {"- - 1", "1"},
    {"-(1)", "-(1)"},
    // Arithmetic, precedence as written back.
    {"1 + 1", "1 + 1"},
    {"1 - 1", "1 - 1"},
    {"1 * 1", "1 * 1"},
    {"1 % 1", "1 % 1"},
    {"1 / 1", "1 / 1"},
    {"1 atan2 2", "1 atan2 2"},
    {"1 == bool 1", "1 == bool 1"},
    {"1 != bool 1", "1 != bool 1"},
    {"1 > bool 1", "1 > bool 1"},
    {"1 >= bool 1", "1 >= bool 1"},
    {"1 < bool 1", "1 < bool 1"},
    {"1 <= bool 1", "1 <= bool 1"},
    {"+1 + -2 * 1", "1 + -2 * 1"},
    {"1 + 2/(3*1)", "1 + 2 / (3 * 1)"},
    {"1 < bool 2 - 1 * 2", "1 < bool 2 - 1 * 2"},
    {"-some_metric", "-some_metric"},
    {"+some_metric", "+some_metric"},
    {" +some_metric", "+some_metric"},
    {"2^3^2", "2 ^ 3 ^ 2"},
    {"((1))", "((1))"},
    // Vector operations and matching.
    {"foo * bar", "foo * bar"},
    {"foo * sum", "foo * sum"},
    {"foo == 1", "foo == 1"},
    {"foo == bool 1", "foo == bool 1"},
    {"2.5 / bar", "2.5 / bar"},
    {"foo and bar", "foo and bar"},
    {"foo or bar", "foo or bar"},
    {"foo unless bar", "foo unless bar"},
    {"foo AND bar", "foo and bar"},
    {"foo + bar or bla and blub", "foo + bar or bla and blub"},
    {"foo and bar unless baz or qux", "foo and bar unless baz or qux"},
    {"bar + on(foo) bla / on(baz, buz) group_right(test) blub",
     "bar + on (foo) bla / on (baz, buz) group_right (test) blub"},
    {"foo * on(test,blub) bar", "foo * on (test, blub) bar"},
    {"foo * on(test,blub) group_left bar", "foo * on (test, blub) group_left () bar"},
    {"foo and on(test,blub) bar", "foo and on (test, blub) bar"},
    {"foo and on() bar", "foo and on () bar"},
    {"foo and ignoring(test,blub) bar", "foo and ignoring (test, blub) bar"},
    {"foo and ignoring() bar", "foo and bar"},
    {"foo unless on(bar) baz", "foo unless on (bar) baz"},
    {"foo / on(test,blub) group_left(bar) bar", "foo / on (test, blub) group_left (bar) bar"},
    {"foo / ignoring(test,blub) group_left(blub) bar",
     "foo / ignoring (test, blub) group_left (blub) bar"},
    {"foo - on(test,blub) group_right(bar,foo) bar",
     "foo - on (test, blub) group_right (bar, foo) bar"},
    {"foo > bool on(a) bar", "foo > bool on (a) bar"},
    {"foo * on(a,) bar", "foo * on (a) bar"},
    // Selectors.
    {"foo", "foo"},
    {"min", "min"},
    {"offset", "offset"},
    {"by", "by"},
    {"foo offset 5m", "foo offset 5m"},
    {"foo offset -7m", "foo offset -7m"},
    {"foo OFFSET 1h30m", "foo offset 1h30m"},
    {"foo OFFSET 1m30ms", "foo offset 1m30ms"},
    {"foo offset 90m", "foo offset 1h30m"},
    {"foo offset 2w", "foo offset 2w"},
    {"foo offset 14d", "foo offset 2w"},
    {"foo @ 1603774568", "foo @ 1603774568.000"},
    {"foo @ -100", "foo @ -100.000"},
    {"foo @ .3", "foo @ 0.300"},
    {"foo @ 3.", "foo @ 3.000"},
    {"foo @ 3.33", "foo @ 3.330"},
    {"foo @ 3.3333", "foo @ 3.333"},
    {"foo @ 3e2", "foo @ 300.000"},
    {"foo @ 3e-1", "foo @ 0.300"},
    {"foo @ 0xA", "foo @ 10.000"},
    {"foo @ -3.3e1", "foo @ -33.000"},
    {"foo @ start()", "foo @ start()"},
    // In bounds as seconds, out of int64 as milliseconds: Go's conversion gives MinInt64.
    {"foo @ 1e18", "foo @ -9223372036854776.000"},
    {"foo @ end()", "foo @ end()"},
    {"foo offset 5m @ 100", "foo @ 100.000 offset 5m"},
    {"foo @ 100 offset 5m", "foo @ 100.000 offset 5m"},
    {"foo:bar{a=\"bc\"}", "foo:bar{a=\"bc\"}"},
    {"foo{NaN='bc'}", "foo{NaN=\"bc\"}"},
    {"foo{bar='}'}", "foo{bar=\"}\"}"},
    {"foo{a=\"b\", foo!=\"bar\", test=~\"test\", bar!~\"baz\"}",
     "foo{a=\"b\",bar!~\"baz\",foo!=\"bar\",test=~\"test\"}"},
    {"foo{a=\"b\", foo!=\"bar\", test=~\"test\", bar!~\"baz\",}",
     "foo{a=\"b\",bar!~\"baz\",foo!=\"bar\",test=~\"test\"}"},
    {"foo{by=\"x\", offset=`y`}", "foo{by=\"x\",offset=\"y\"}"},
    {"{__name__=~\"foo.+\",a=\"b\"}", "{__name__=~\"foo.+\",a=\"b\"}"},
    {"{__name__=\"foo\"}", "{__name__=\"foo\"}"},
    {"{a!=\"\"}", "{a!=\"\"}"},
    {"{a=~\".+\"}", "{a=~\".+\"}"},
    {"{a=~\"\\n\"}", "{a=~\"\\n\"}"},
    {"foo{a=\"\\u00e9\\t\"}", "foo{a=\"é\\t\"}"},
    // Ranges and subqueries.
    {"foo[5s]", "foo[5s]"},
    {"test[5m]", "test[5m]"},
    {"foo[ 5m ]", "foo[5m]"},
    {"test[5m] OFFSET 1h", "test[5m] offset 1h"},
    {"foo[5m30s]", "foo[5m30s]"},
    {"test{a=\"b\"}[5y] OFFSET 3d", "test{a=\"b\"}[5y] offset 3d"},
    {"foo[3ms] @ 2.345", "foo[3ms] @ 2.345"},
    {"foo[4s180ms] @ 2.345", "foo[4s180ms] @ 2.345"},
    {"foo[5m] @ start()", "foo[5m] @ start()"},
    {"foo[5m] offset -1h @ end()", "foo[5m] @ end() offset -1h"},
    {"foo{bar=\"baz\"}[10m:6s]", "foo{bar=\"baz\"}[10m:6s]"},
    {"foo[10m:]", "foo[10m:]"},
    {"foo[1h:5m] @ start()", "foo[1h:5m] @ start()"},
    {"min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:5s])",
     "min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:5s])"},
    {"min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:])[4m:3s]",
     "min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:])[4m:3s]"},
    {"min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:] offset 4m)[4m:3s]",
     "min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:] offset 4m)[4m:3s]"},
    {"sum without(and, by, avg, count, alert, annotations)(some_metric) [30m:10s]",
     "sum without (and, by, avg, count, alert, annotations) (some_metric)[30m:10s]"},
    {"some_metric OFFSET 1m [10m:5s]", "some_metric offset 1m[10m:5s]"},
    {"(foo + bar{nm=\"val\"})[5m:]", "(foo + bar{nm=\"val\"})[5m:]"},
    {"(foo + bar{nm=\"val\"})[5m:] offset 10m", "(foo + bar{nm=\"val\"})[5m:] offset 10m"},
    {"(foo + bar{nm=\"val\"} @ 1234)[5m:] @ 1603775019",
     "(foo + bar{nm=\"val\"} @ 1234.000)[5m:] @ 1603775019.000"},
    {"-rate(foo[5m:1m])", "-rate(foo[5m:1m])"},
    // Aggregations.
    {"sum by (foo)(some_metric)", "sum by (foo) (some_metric)"},
    {"avg by (foo)(some_metric)", "avg by (foo) (some_metric)"},
    {"max by (foo)(some_metric)", "max by (foo) (some_metric)"},
    {"sum without (foo) (some_metric)", "sum without (foo) (some_metric)"},
    {"sum (some_metric) without (foo)", "sum without (foo) (some_metric)"},
    {"stddev(some_metric)", "stddev(some_metric)"},
    {"stdvar by (foo)(some_metric)", "stdvar by (foo) (some_metric)"},
    {"sum by ()(some_metric)", "sum(some_metric)"},
    {"sum without ()(some_metric)", "sum without () (some_metric)"},
    {"sum by (foo,bar,)(some_metric)", "sum by (foo, bar) (some_metric)"},
    {"sum by (foo,)(some_metric)", "sum by (foo) (some_metric)"},
    {"topk(5, some_metric)", "topk(5, some_metric)"},
    {"count_values(\"value\", some_metric)", "count_values(\"value\", some_metric)"},
    {"sum without(and, by, avg, count, alert, annotations)(some_metric)",
     "sum without (and, by, avg, count, alert, annotations) (some_metric)"},
    {"quantile(0.5, foo)", "quantile(0.5, foo)"},
    {"group(foo) by (a)", "group by (a) (foo)"},
    {"bottomk(3, foo) by (a)", "bottomk by (a) (3, foo)"},
    {"SUM(foo)", "sum(foo)"},
    {"count(foo)", "count(foo)"},
    {"min(foo) + max(bar)", "min(foo) + max(bar)"},
    {"sum by (le) (rate(foo[5m]))", "sum by (le) (rate(foo[5m]))"},
    // Function calls.
    {"time()", "time()"},
    {"floor(some_metric{foo!=\"bar\"})", "floor(some_metric{foo!=\"bar\"})"},
    {"rate(some_metric[5m])", "rate(some_metric[5m])"},
    {"round(some_metric)", "round(some_metric)"},
    {"round(some_metric, 5)", "round(some_metric, 5)"},
    {"day_of_week()", "day_of_week()"},
    {"label_join(foo, \"a\", \",\", \"b\", \"c\", \"d\")",
     "label_join(foo, \"a\", \",\", \"b\", \"c\", \"d\")"},
    {"label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")",
     "label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")"},
    {"vector(1)", "vector(1)"},
    {"scalar(foo)", "scalar(foo)"},
    {"pi()", "pi()"},
    {"holt_winters(foo[5m], 0.5, 0.5)", "holt_winters(foo[5m], 0.5, 0.5)"},
    {"histogram_quantile(0.9, rate(foo_bucket[5m]))",
     "histogram_quantile(0.9, rate(foo_bucket[5m]))"},
    {"absent_over_time(foo[1m:])", "absent_over_time(foo[1m:])"},
    {"time() > bool 1", "time() > bool 1"},
    {"scalar(foo) + 1", "scalar(foo) + 1"},
    // Strings.
    {"\"double-quoted string \\\" with escaped quote\"",
     "\"double-quoted string \\\" with escaped quote\""},
    {"'single-quoted string \\' with escaped quote'",
     "\"single-quoted string ' with escaped quote\""},
    {"`backtick-quoted string`", "\"backtick-quoted string\""},
    {"\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\" - \\xFF\\377\\u1234\\U00010111\\U0001011111☺\"",
     "\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\" - \\xff\\xffሴ𐄑𐄑11☺\""},
    {"`\\a`", "\"\\\\a\""},
    // Comments and line breaks.
    {"# comment\nfoo", "foo"},
    {"foo # comment", "foo"},
    {"sum(\n  rate(foo[5m]) # per second\n)", "sum(rate(foo[5m]))"},
};

TEST_CASE("parser accepts Prometheus's expressions and prints them as Prometheus does") {
  for (const auto& [query, expected] : kValid) {
    INFO(query);
    CHECK(printed(query) == expected);
  }
}

TEST_CASE("parser prints what it parsed back to a query that parses to the same text") {
  for (const auto& [query, expected] : kValid) {
    INFO(query);
    CHECK(printed(expected) == expected);
  }
}

// Invalid expressions and Prometheus 2.42's message, position included.
const std::vector<std::pair<std::string, std::string>> kInvalid = {
    {"", "1:1: parse error: no expression found in input"},
    {"# just a comment", "1:1: parse error: no expression found in input"},
    {"1+", "1:3: parse error: unexpected end of input"},
    {".", "1:1: parse error: unexpected character: '.'"},
    {"2.5.", "1:4: parse error: unexpected character: '.'"},
    {"100..4", "1:5: parse error: unexpected number \".4\""},
    {"0deadbeef", "1:1: parse error: bad number or duration syntax: \"0de\""},
    {"1 /", "1:4: parse error: unexpected end of input"},
    {"*1", "1:1: parse error: unexpected <op:*>"},
    {"(1))", "1:5: parse error: unexpected right parenthesis ')'"},
    {"((1)", "1:5: parse error: unclosed left parenthesis"},
    {"(", "1:2: parse error: unclosed left parenthesis"},
    {"()", "1:2: parse error: unexpected \")\""},
    {"1e400",
     "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"1e400\": value out of "
     "range"},
    {"1e",
     "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"1e\": invalid syntax"},
    {"0x",
     "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"0x\": invalid syntax"},
    {"1 and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"},
    {"1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier"},
    {"1 or 1", "1:1: parse error: set operator \"or\" not allowed in binary scalar expression"},
    {"1 unless 1",
     "1:1: parse error: set operator \"unless\" not allowed in binary scalar expression"},
    {"1 !~ 1", "1:3: parse error: unexpected character after '!': '~'"},
    {"1 =~ 1", "1:3: parse error: unexpected character after '=': '~'"},
    {"foo and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"},
    {"foo == on(a) 1", "1:1: parse error: vector matching only allowed between instant vectors"},
    {"-\"string\"",
     "1:1: parse error: unary expression only allowed on expressions of type scalar or instant "
     "vector, "
     "got \"string\""},
    {"-test[5m]",
     "1:1: parse error: unary expression only allowed on expressions of type scalar or instant "
     "vector, "
     "got \"range vector\""},
    {"*test", "1:1: parse error: unexpected <op:*>"},
    {"1 offset 1d",
     "1:1: parse error: offset modifier must be preceded by an instant vector selector or range "
     "vector "
     "selector or a subquery"},
    {"foo offset 1s offset 2s", "1:1: parse error: offset may not be set multiple times"},
    {"a - on(b) ignoring(c) d", "1:11: parse error: unexpected <ignoring>"},
    {"foo + bool bar", "1:5: parse error: bool modifier can only be used on comparison operators"},
    {"foo + bool 10", "1:5: parse error: bool modifier can only be used on comparison operators"},
    {"foo and bool 10", "1:5: parse error: bool modifier can only be used on comparison operators"},
    {"foo and on(bar) group_left(baz) bar",
     "1:1: parse error: no grouping allowed for \"and\" operation"},
    {"foo and on(bar) group_right(baz) bar",
     "1:1: parse error: no grouping allowed for \"and\" operation"},
    {"foo or on(bar) group_left(baz) bar",
     "1:1: parse error: no grouping allowed for \"or\" operation"},
    {"foo unless on(bar) group_left(baz) bar",
     "1:1: parse error: no grouping allowed for \"unless\" operation"},
    {"http_requests{group=\"production\"} + on(instance) group_left(job,instance) "
     "cpu_count{type=\"smp\"}",
     "1:35: parse error: label \"instance\" must not occur in ON and GROUP clause at once"},
    {"foo * group_left bar", "1:7: parse error: unexpected <group_left>"},
    {"\"foo\" + 1",
     "1:1: parse error: binary expression must contain only scalar and instant vector types"},
    {"foo[5m] + 1",
     "1:1: parse error: binary expression must contain only scalar and instant vector types"},
    {"1 + foo[5m]",
     "1:5: parse error: binary expression must contain only scalar and instant vector types"},
    // Selectors.
    {"{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
    {"{x=\"\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
    {"{x=~\".*\"}",
     "1:1: parse error: vector selector must contain at least one non-empty matcher"},
    {"{x!~\".+\"}",
     "1:1: parse error: vector selector must contain at least one non-empty matcher"},
    {"{x!=\"a\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
    {"{x=~\"a\\n|\"}",
     "1:1: parse error: vector selector must contain at least one non-empty matcher"},
    {"foo{__name__=\"bar\"}",
     "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""},
    {"foo{__name__!=\"bar\"}",
     "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""},
    {"foo{__name__= =}", "1:15: parse error: unexpected \"=\" in label matching, expected string"},
    {"foo{__name__=\"bar\" lol}",
     "1:20: parse error: unexpected identifier \"lol\" in label matching, expected \",\" or \"}\""},
    {"foo{a*\"b\"}", "1:6: parse error: unexpected character inside braces: '*'"},
    {"foo{a>=\"b\"}", "1:6: parse error: unexpected character inside braces: '>'"},
    {"some_metric{a=\"\xff\"}", "1:15: parse error: invalid UTF-8 rune"},
    {"foo{gibberish}",
     "1:14: parse error: unexpected \"}\" in label matching, expected label matching operator"},
    {"foo{1}", "1:5: parse error: unexpected character inside braces: '1'"},
    {"foo{a=b}",
     "1:7: parse error: unexpected identifier \"b\" in label matching, expected string"},
    {"foo{,}",
     "1:5: parse error: unexpected \",\" in label matching, expected identifier or \"}\""},
    {"foo{a=\"b\",,}",
     "1:11: parse error: unexpected \",\" in label matching, expected identifier or \"}\""},
    {"foo{a=~\"(\"}", "1:5: parse error: error parsing regexp: missing closing ): `^(?:()$`"},
    {"foo{a=~\"*\"}",
     "1:5: parse error: error parsing regexp: missing argument to repetition operator: `*`"},
    {"foo{", "1:5: parse error: unexpected end of input inside braces"},
    {"foo{{", "1:5: parse error: unexpected left brace '{'"},
    {"5m", "1:1: parse error: unexpected duration \"5m\""},
    {"foo bar", "1:5: parse error: unexpected identifier \"bar\""},
    {"1 \"a long string value\"", "1:3: parse error: unexpected string \"\\\"a long st\"..."},
    {"on", "1:1: parse error: unexpected <on>"},
    // Ranges, subqueries, offset, @.
    {"foo[5mm]", "1:5: parse error: bad duration syntax: \"5mm\""},
    {"foo[0m]", "1:5: parse error: duration must be greater than 0"},
    {"foo[4.18s]", "1:5: parse error: not a valid duration string: \"4.18s\""},
    {"foo[5y1hs]", "1:5: parse error: not a valid duration string: \"5y1hs\""},
    {"foo[\"5m\"]", "1:5: parse error: missing unit character in duration"},
    {"foo[]", "1:5: parse error: missing unit character in duration"},
    {"foo[1]", "1:5: parse error: missing unit character in duration"},
    {"some_metric[5m] OFFSET 1mm", "1:24: parse error: bad number or duration syntax: \"1mm\""},
    {"some_metric[5m] OFFSET",
     "1:23: parse error: unexpected end of input in offset, expected duration"},
    {"foo offset 5", "1:12: parse error: unexpected number \"5\" in offset, expected duration"},
    {"foo offset -", "1:13: parse error: unexpected end of input in offset, expected duration"},
    {"some_metric OFFSET 1m[5m]", "1:22: parse error: no offset modifiers allowed before range"},
    {"some_metric @ 123 [5m]", "1:19: parse error: no @ modifiers allowed before range"},
    {"(foo + bar)[5m]", "1:12: parse error: ranges only allowed for vector selectors"},
    {"rate(food[1m])[1h] offset 1h", "1:15: parse error: ranges only allowed for vector selectors"},
    {"foo[5m][5m]", "1:8: parse error: ranges only allowed for vector selectors"},
    {"test[5d] OFFSET 10s [10m:5s]",
     "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"},
    {"(foo + bar{nm=\"val\"})[5m:][10m:5s]",
     "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"},
    {"foo[5m:1m:1m]", "1:10: parse error: unexpected colon ':'"},
    {"foo[5m:1m", "1:10: parse error: unclosed left bracket"},
    {"foo[5m 1m]",
     "1:8: parse error: unexpected duration \"1m\" in subquery or range, expected \":\" or \"]\""},
    {"foo[5m:1m 1m]",
     "1:11: parse error: unexpected duration \"1m\" in subquery selector, expected \"]\""},
    {"foo[5m:,]",
     "1:8: parse error: unexpected \",\" in subquery selector, expected duration or \"]\""},
    {"foo @ start", "1:12: parse error: unexpected end of input in @, expected timestamp"},
    {"foo @ bar", "1:7: parse error: unexpected identifier \"bar\" in @, expected timestamp"},
    {"foo @ 1 @ 2", "1:1: parse error: @ <timestamp> may not be set multiple times"},
    {"foo @ start() @ end()", "1:1: parse error: @ <timestamp> may not be set multiple times"},
    {"sum(foo) @ 1",
     "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector "
     "selector or a subquery"},
    {"foo @ +Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf"},
    {"foo @ NaN", "1:1: parse error: timestamp out of bounds for @ modifier: NaN"},
    {"foo @ 9223372036854775807",
     "1:1: parse error: timestamp out of bounds for @ modifier: 9223372036854775808.000000"},
    // Functions.
    {"rate(some_metric)",
     "1:6: parse error: expected type range vector in call to function \"rate\", got instant "
     "vector"},
    {"floor()", "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 0"},
    {"floor(some_metric, other_metric)",
     "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 2"},
    {"floor(1)",
     "1:7: parse error: expected type instant vector in call to function \"floor\", got scalar"},
    {"hour(some_metric, some_metric, some_metric)",
     "1:1: parse error: expected at most 1 argument(s) in call to \"hour\", got 3"},
    {"time(some_metric)", "1:1: parse error: expected 0 argument(s) in call to \"time\", got 1"},
    {"non_existent_function_far_bar()",
     "1:1: parse error: unknown function with name \"non_existent_function_far_bar\""},
    {"Rate(foo[5m])", "1:1: parse error: unknown function with name \"Rate\""},
    {"rate(some_metric[5m],)",
     "1:21: parse error: trailing commas not allowed in function call args"},
    {"label_replace(a, b, c)",
     "1:1: parse error: expected 5 argument(s) in call to \"label_replace\", got 3"},
    {"label_join(a)",
     "1:1: parse error: expected at least 3 argument(s) in call to \"label_join\", got 1"},
    {"label_join(a, \"b\", \"c\", 1)",
     "1:25: parse error: expected type string in call to function \"label_join\", got scalar"},
    {"round(a, 1, 2)",
     "1:1: parse error: expected at most 2 argument(s) in call to \"round\", got 3"},
    {"rate(foo bar)", "1:10: parse error: unexpected identifier \"bar\""},
    // Aggregations.
    {"sum(some_metric) by (test", "1:26: parse error: unclosed left parenthesis"},
    {"sum without(==)(some_metric)",
     "1:13: parse error: unexpected <op:==> in grouping opts, expected label"},
    {"sum without(,)(some_metric)",
     "1:13: parse error: unexpected \",\" in grouping opts, expected label"},
    {"sum without(foo,,)(some_metric)",
     "1:17: parse error: unexpected \",\" in grouping opts, expected label"},
    {"sum by (a b) (foo)",
     "1:11: parse error: unexpected identifier \"b\" in grouping opts, expected \",\" or \")\""},
    {"sum some_metric by (test)", "1:5: parse error: unexpected identifier \"some_metric\""},
    {"sum (some_metric) by test",
     "1:22: parse error: unexpected identifier \"test\" in grouping opts, expected \"(\""},
    {"sum by test (some_metric)",
     "1:8: parse error: unexpected identifier \"test\" in grouping opts, expected \"(\""},
    {"sum by (a) foo", "1:12: parse error: unexpected identifier \"foo\" in aggregation"},
    {"sum(foo bar)", "1:9: parse error: unexpected identifier \"bar\" in aggregation"},
    {"sum(rate(foo[5m]) +)", "1:20: parse error: unexpected \")\" in aggregation"},
    {"topk(some_metric)",
     "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, "
     "got 1"},
    {"sum(a, b)",
     "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, "
     "got 2"},
    {"topk(some_metric,)", "1:17: parse error: trailing commas not allowed in function call args"},
    {"topk(some_metric, other_metric)",
     "1:6: parse error: expected type scalar in aggregation parameter, got instant vector"},
    {"count_values(5, other_metric)",
     "1:14: parse error: expected type string in aggregation parameter, got scalar"},
    {"sum()", "1:1: parse error: no arguments for aggregate expression provided"},
    {"sum(1)",
     "1:5: parse error: expected type instant vector in aggregation expression, got scalar"},
    {"sum(foo[5m])",
     "1:5: parse error: expected type instant vector in aggregation expression, got range vector"},
    // Inputs Prometheus's fuzzing found.
    {"-=", "1:2: parse error: unexpected \"=\""},
    {"++-++-+-+-<", "1:11: parse error: unexpected <op:<>"},
    {"e-+=/(0)", "1:4: parse error: unexpected \"=\""},
    {"a>b()", "1:3: parse error: unknown function with name \"b\""},
    {"rate(avg)",
     "1:6: parse error: expected type range vector in call to function \"rate\", got instant "
     "vector"},
    {"}", "1:1: parse error: unexpected character: '}'"},
    {"{", "1:2: parse error: unexpected end of input inside braces"},
    {"`\\``", "1:4: parse error: unterminated raw string"},
    {"\"\\c\"", "1:1: parse error: unknown escape sequence U+0063 'c'"},
    {"\"\\x.\"", "1:1: parse error: illegal character U+002E '.' in escape sequence"},
    {"label_replace(a, `b`, `c\xff`, `d`, `.*`)", "1:23: parse error: invalid UTF-8 rune"},
    // Positions across lines count bytes from the last line break.
    {"foo +\n  bar baz", "2:7: parse error: unexpected identifier \"baz\""},
    {"sum(\n  rate(foo)\n)",
     "2:8: parse error: expected type range vector in call to function \"rate\", got instant "
     "vector"},
};

TEST_CASE("parser rejects invalid expressions with Prometheus's message and position") {
  for (const auto& [query, expected] : kInvalid) {
    INFO(query);
    CHECK(error_of(query) == expected);
  }
}

// Prometheus has no depth limit (Go's stacks grow); ours keeps a hostile
// query from exhausting the stack of the thread that parses, checks, prints
// or frees the tree.
TEST_CASE("parser bounds how deeply an expression nests instead of exhausting the stack") {
  const auto nested = [](size_t levels) {
    return std::string(levels, '(') + "1" + std::string(levels, ')');
  };
  CHECK(printed(nested(kMaxExprHeight - 1)) == nested(kMaxExprHeight - 1));
  CHECK(error_of(nested(kMaxExprHeight)) ==
        "1:1001: parse error: expression nests too deeply: more than 1000 levels");
  CHECK(error_of(nested(100000)) ==
        "1:1001: parse error: expression nests too deeply: more than 1000 levels");
  std::string chain = "a";
  for (int i = 0; i < 100000; ++i) chain += " + a";
  CHECK(error_of(chain) == "1:1: parse error: expression nests too deeply: more than 1000 levels");
  CHECK(error_of(std::string(100000, '-') + "foo") ==
        "1:1001: parse error: expression nests too deeply: more than 1000 levels");
  std::string subqueries = "foo";
  for (int i = 0; i < 5000; ++i) subqueries += "[1m:]";
  CHECK(error_of(subqueries)
            .ends_with("parse error: expression nests too deeply: more than 1000 levels"));
}

TEST_CASE("parser follows Prometheus's precedence and associativity") {
  const auto root = [](std::string_view query) {
    auto parsed = parse_expr(query);
    REQUIRE(parsed);
    return std::move(*parsed);
  };
  SECTION("^ is right-associative") {
    const ExprPtr expr = root("2 ^ 3 ^ 2");
    const auto* binary = expr->as<BinaryExpr>();
    REQUIRE(binary);
    CHECK(binary->lhs->as<NumberLiteral>());
    CHECK(binary->rhs->as<BinaryExpr>());
  }
  SECTION("- is left-associative") {
    const ExprPtr expr = root("1 - 2 - 3");
    const auto* binary = expr->as<BinaryExpr>();
    REQUIRE(binary);
    CHECK(binary->lhs->as<BinaryExpr>());
    CHECK(binary->rhs->as<NumberLiteral>());
  }
  SECTION("or binds loosest, then and/unless, comparisons, + -, * / % atan2, ^") {
    const ExprPtr expr = root("a or b and c > d + e * f ^ g");
    const auto* lor = expr->as<BinaryExpr>();
    REQUIRE(lor);
    CHECK(lor->op == TokenKind::Lor);
    const auto* land = lor->rhs->as<BinaryExpr>();
    REQUIRE(land);
    CHECK(land->op == TokenKind::Land);
    const auto* gtr = land->rhs->as<BinaryExpr>();
    REQUIRE(gtr);
    CHECK(gtr->op == TokenKind::Gtr);
    const auto* add = gtr->rhs->as<BinaryExpr>();
    REQUIRE(add);
    CHECK(add->op == TokenKind::Add);
    const auto* mul = add->rhs->as<BinaryExpr>();
    REQUIRE(mul);
    CHECK(mul->op == TokenKind::Mul);
    CHECK(mul->rhs->as<BinaryExpr>()->op == TokenKind::Pow);
  }
  SECTION("unary minus binds like *: below ^, above +") {
    const ExprPtr pow = root("-a ^ b");
    REQUIRE(pow->as<UnaryExpr>());
    CHECK(pow->as<UnaryExpr>()->expr->as<BinaryExpr>()->op == TokenKind::Pow);
    const ExprPtr mul = root("-a * b");
    REQUIRE(mul->as<BinaryExpr>());
    CHECK(mul->as<BinaryExpr>()->lhs->as<UnaryExpr>());
  }
  SECTION("a negative number is a literal, not a unary expression") {
    const ExprPtr expr = root("-5");
    REQUIRE(expr->as<NumberLiteral>());
    CHECK(expr->as<NumberLiteral>()->value == -5);
  }
  SECTION("set operators between vectors become many-to-many; matching is dropped for scalars") {
    const ExprPtr set = root("a and b");
    REQUIRE(set->as<BinaryExpr>()->matching);
    CHECK(set->as<BinaryExpr>()->matching->cardinality == Cardinality::ManyToMany);
    const ExprPtr scalar = root("a + 1");
    CHECK_FALSE(scalar->as<BinaryExpr>()->matching);
  }
  SECTION("offsets and @ land on the selector they follow") {
    const ExprPtr expr = root("foo[5m] offset -1m @ 1.5");
    const auto* matrix = expr->as<MatrixSelector>();
    REQUIRE(matrix);
    CHECK(matrix->range == std::chrono::minutes(5));
    CHECK(matrix->selector.modifiers.offset == std::chrono::minutes(-1));
    CHECK(matrix->selector.modifiers.at_ms == 1500);
  }
}

TEST_CASE("parser regexes are anchored and . does not match a newline, as in Prometheus 2.42") {
  auto parsed = parse_expr("foo{a=~\"b.c\", d!~\"x|y\"}");
  REQUIRE(parsed);
  const auto* selector = (*parsed)->as<VectorSelector>();
  REQUIRE(selector);
  REQUIRE(selector->matchers.size() == 3);
  const LabelMatcher& regex = selector->matchers[0];
  CHECK(regex.matches("bxc"));
  CHECK_FALSE(regex.matches("abxc"));
  CHECK_FALSE(regex.matches("bxcd"));
  CHECK_FALSE(regex.matches("b\nc"));
  const LabelMatcher& not_regex = selector->matchers[1];
  CHECK_FALSE(not_regex.matches("x"));
  CHECK(not_regex.matches("xy"));
  CHECK(selector->matchers[2].name() == "__name__");
}

}  // namespace
}  // namespace mc::query
