#include "tests/support/promql_test_script.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>

namespace mc::test {
namespace {

std::vector<SeriesStep> expand(std::string_view text) {
  auto steps = expand_series_values(text);
  INFO(text);
  REQUIRE(steps.is_ok());
  return *steps;
}

std::string expand_error(std::string_view text) {
  auto steps = expand_series_values(text);
  INFO(text);
  REQUIRE_FALSE(steps.is_ok());
  return steps.error();
}

std::vector<SeriesStep> values(std::initializer_list<double> list) {
  return {list.begin(), list.end()};
}

PromqlTestScript parse(std::string_view text) {
  auto script = parse_promql_test_script(text, "t.test");
  INFO(text);
  if (!script) FAIL(script.error());
  return *script;
}

std::string parse_error(std::string_view text) {
  auto script = parse_promql_test_script(text, "t.test");
  INFO(text);
  REQUIRE_FALSE(script.is_ok());
  return script.error();
}

TEST_CASE("series values expand as Prometheus's series notation", "[promql_test_script]") {
  CHECK(expand("1 2 3") == values({1, 2, 3}));
  CHECK(expand("0+10x3") == values({0, 10, 20, 30}));  // the first value and 3 more
  CHECK(expand("5-1x2") == values({5, 4, 3}));
  CHECK(expand("7x2") == values({7, 7, 7}));
  CHECK(expand("1+0.5x2") == values({1, 1.5, 2}));
  CHECK(expand("-2+1x1") == values({-2, -1}));
  CHECK(expand("1 _ 3") == std::vector<SeriesStep>{1.0, std::nullopt, 3.0});
  CHECK(expand("_x2 4") == std::vector<SeriesStep>{std::nullopt, std::nullopt, 4.0});
  CHECK(expand("\t1\t 2  ") == values({1, 2}));
  CHECK(expand("").empty());
}

TEST_CASE("series values take Go's number forms and stale", "[promql_test_script]") {
  const auto special = expand("Inf -Inf +Inf inf NaN nan stale");
  REQUIRE(special.size() == 7);
  CHECK(*special[0] == std::numeric_limits<double>::infinity());
  CHECK(*special[1] == -std::numeric_limits<double>::infinity());
  CHECK(*special[2] == std::numeric_limits<double>::infinity());
  CHECK(*special[3] == std::numeric_limits<double>::infinity());
  CHECK(std::isnan(*special[4]));
  CHECK_FALSE(is_stale_nan(*special[4]));
  CHECK(std::isnan(*special[5]));
  CHECK(is_stale_nan(*special[6]));
  CHECK(expand("1e3 -1.5e+06 2.5E-1 .5 2.") == values({1000, -1.5e6, 0.25, 0.5, 2}));
  // As strconv.ParseInt(s, 0, 64) reads a number token: a leading 0 is octal.
  CHECK(expand("010") == values({8}));
  // Hex has no place in a series: "0x10" is 0 and ten more of it, as in Prometheus.
  CHECK(expand("0x10") == std::vector<SeriesStep>(11, 0.0));
}

TEST_CASE("bad series values are errors naming the item", "[promql_test_script]") {
  CHECK_THAT(expand_error("1 1+2 3"), Catch::Contains("1+2") && Catch::Contains("x<count>"));
  CHECK_THAT(expand_error("abc"), Catch::Contains("\"abc\""));
  CHECK_THAT(expand_error("-stale"), Catch::Contains("-stale"));
  CHECK_THAT(expand_error("Infx3"), Catch::Contains("Infx3"));
  CHECK_THAT(expand_error("1x"), Catch::Contains("repetition count in \"1x\""));
  CHECK_THAT(expand_error("_xa"), Catch::Contains("\"_xa\""));
  CHECK_THAT(expand_error("1y"), Catch::Contains("\"1y\""));
  CHECK_THAT(expand_error("1e"), Catch::Contains("\"1e\""));
  CHECK_THAT(expand_error("1x2.5"), Catch::Contains("1x2.5"));
  CHECK_THAT(expand_error("1+x3"), Catch::Contains("1+x3"));
  CHECK_THAT(expand_error("{"), Catch::Contains("\"{\""));
  // A typo's huge count fails instead of exhausting memory.
  CHECK_THAT(expand_error("0+1x999999999"), Catch::Contains("longer than"));
  CHECK_THAT(expand_error("0x9999999999"), Catch::Contains("repetition count"));
}

TEST_CASE("series lines name a metric and labels, Go-quoted", "[promql_test_script]") {
  auto line = parse_series_line(R"(http_requests{job="api-server", group="canary"} 0+10x1)");
  REQUIRE(line.is_ok());
  CHECK(line->labels ==
        Labels({{"__name__", "http_requests"}, {"group", "canary"}, {"job", "api-server"}}));
  CHECK(line->steps == values({0, 10}));

  auto empty = parse_series_line("{} 1000");
  REQUIRE(empty.is_ok());
  CHECK(empty->labels.empty());
  CHECK(empty->steps == values({1000}));

  auto bare = parse_series_line("node_namespace_pod:kube_pod_info: 1 2");
  REQUIRE(bare.is_ok());
  CHECK(bare->labels == Labels({{"__name__", "node_namespace_pod:kube_pod_info:"}}));
  CHECK(bare->steps == values({1, 2}));

  // Quoted values may hold braces, blanks and escapes.
  auto quoted = parse_series_line(R"x({a="x} y", b='\n', c=`\n`} 1)x");
  REQUIRE(quoted.is_ok());
  CHECK(quoted->labels == Labels({{"a", "x} y"}, {"b", "\n"}, {"c", "\\n"}}));

  auto no_values = parse_series_line(R"({job="a"})");
  REQUIRE(no_values.is_ok());
  CHECK(no_values->steps.empty());
}

TEST_CASE("bad series lines are errors saying what is wrong", "[promql_test_script]") {
  const auto error_of = [](std::string_view text) {
    auto line = parse_series_line(text);
    INFO(text);
    REQUIRE_FALSE(line.is_ok());
    return line.error();
  };
  CHECK_THAT(error_of(R"(m{a="b" 1)"), Catch::Contains("unclosed label set"));
  CHECK_THAT(error_of(R"(m{a=~"b"} 1)"), Catch::Contains("labels take \"=\", not \"=~\""));
  CHECK_THAT(error_of(R"(m{a="b"}1)"), Catch::Contains("expected a blank after the series"));
  CHECK_THAT(error_of(R"(m{a="b", a="c"} 1)"), Catch::Contains("label \"a\" given twice"));
  CHECK_THAT(error_of(R"(m{a="b} 1)"), Catch::Contains("unclosed label set"));
  CHECK_THAT(error_of("m[5m] 1"), Catch::Contains("not a metric with labels"));
  CHECK_THAT(error_of("m{1} 1"), Catch::Contains("bad series \"m{1}\""));
  CHECK_THAT(error_of("m 1 x"), Catch::Contains("\"x\""));
}

TEST_CASE("expected scalars are read as test.go's parseNumber reads them", "[promql_test_script]") {
  CHECK(parse_go_number("2") == 2);
  CHECK(parse_go_number("-10") == -10);
  CHECK(parse_go_number("0x1F") == 31);
  CHECK(parse_go_number("0o17") == 15);
  CHECK(parse_go_number("0b101") == 5);
  CHECK(parse_go_number("010") == 8);
  CHECK(parse_go_number("09") == 9);  // not octal, so ParseFloat's decimal
  CHECK(parse_go_number("1_000") == 1000);
  CHECK(parse_go_number("-0.0000002") == -0.0000002);
  CHECK(parse_go_number("12.34e+6") == 12340000);
  CHECK(parse_go_number("+Inf") == std::numeric_limits<double>::infinity());
  CHECK(parse_go_number("-Infinity") == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(*parse_go_number("NaN")));
  CHECK(parse_go_number("0x1p-2") == 0.25);
  CHECK(parse_go_number("9223372036854775808") == 9223372036854775808.0);  // past int64: a float
  CHECK_FALSE(parse_go_number("0x1.8"));  // a hex float needs its p exponent
  CHECK_FALSE(parse_go_number("{} 1"));
  CHECK_FALSE(parse_go_number("1_"));
  CHECK_FALSE(parse_go_number("_1"));
  CHECK_FALSE(parse_go_number("1e"));
  CHECK_FALSE(parse_go_number("nan(1)"));
  CHECK_FALSE(parse_go_number("1e999"));  // ParseFloat: value out of range
  CHECK_FALSE(parse_go_number(""));
}

TEST_CASE("a script parses into load, clear and eval commands", "[promql_test_script]") {
  const auto script = parse(R"(# a comment
load 5m
  http_requests{job="api"} 0+10x2 _ 5
  other 1
  http_requests{job="api"} 7

eval instant at 10m sum(http_requests)
  {} 7
  # a comment inside a block ends it, as a blank line does
eval_ordered instant at 1h topk(2, x)
  x{a="1"} 3
  x{a="2"} 2
  x{a="1"} 4

eval_fail instant at 0 rate(x[5m]) / "a"

clear
eval instant at 50m 1 + 1
	2
eval instant at 0s "foo"
  "foo"
eval instant at 1m none
)");
  REQUIRE(script.commands.size() == 8);
  CHECK(script.eval_count() == 6);
  CHECK(script.file_name == "t.test");

  const auto& load = std::get<LoadCommand>(script.commands[0]);
  CHECK(load.line == 2);
  CHECK(load.interval == std::chrono::minutes(5));
  REQUIRE(load.series.size() == 2);
  // The later line of a label set replaces the earlier one, in its place.
  CHECK(load.series[0].labels == Labels({{"__name__", "http_requests"}, {"job", "api"}}));
  CHECK(load.series[0].samples == std::vector<Sample>{{0, 7}});
  CHECK(load.series[1].labels == Labels({{"__name__", "other"}}));

  const auto& sum = std::get<EvalCommand>(script.commands[1]);
  CHECK(sum.line == 7);
  CHECK(sum.expr == "sum(http_requests)");
  CHECK(sum.t_ms == 600'000);
  CHECK(sum.mode == EvalMode::Unordered);
  REQUIRE(sum.samples.size() == 1);
  CHECK(sum.samples[0].labels.empty());
  CHECK(sum.samples[0].value == 7);
  CHECK(sum.samples[0].line == 8);
  CHECK_FALSE(sum.scalar);

  const auto& topk = std::get<EvalCommand>(script.commands[2]);
  CHECK(topk.mode == EvalMode::Ordered);
  CHECK(topk.t_ms == 3'600'000);
  REQUIRE(topk.samples.size() == 2);
  // test.go keeps the last line of a label set, at that line's position.
  CHECK(topk.samples[0].labels == Labels({{"__name__", "x"}, {"a", "1"}}));
  CHECK(topk.samples[0].value == 4);
  CHECK(topk.samples[0].position == 3);
  CHECK(topk.samples[1].position == 2);

  const auto& fail = std::get<EvalCommand>(script.commands[3]);
  CHECK(fail.mode == EvalMode::Fail);
  CHECK(fail.expr == "rate(x[5m]) / \"a\"");
  CHECK(fail.t_ms == 0);
  CHECK(fail.samples.empty());

  CHECK(std::get<ClearCommand>(script.commands[4]).line == 17);
  const auto& scalar = std::get<EvalCommand>(script.commands[5]);
  CHECK(scalar.scalar == 2);
  const auto& string = std::get<EvalCommand>(script.commands[6]);
  CHECK(string.string == "foo");
  CHECK(string.samples.empty());
  const auto& none = std::get<EvalCommand>(script.commands[7]);
  CHECK(none.expr == "none");
  CHECK(none.samples.empty());
  CHECK_FALSE(none.scalar);
  CHECK_FALSE(none.string);
}

TEST_CASE("samples load at multiples of the interval, skipping blanks", "[promql_test_script]") {
  const auto script = parse("load 1m\n  m 1 _ 3 _x2 stale\n");
  const auto& samples = std::get<LoadCommand>(script.commands[0]).series.at(0).samples;
  REQUIRE(samples.size() == 3);
  CHECK(samples[0] == Sample{0, 1});
  CHECK(samples[1] == Sample{120'000, 3});
  CHECK(samples[2].t_ms == 300'000);
  CHECK(is_stale_nan(samples[2].v));
}

TEST_CASE("script errors name the file and line", "[promql_test_script]") {
  CHECK(parse_error("load 5m\n  m 1\n\nfoo bar\n") == "t.test:4: invalid command \"foo bar\"");
  CHECK_THAT(parse_error("load five\n"),
             Catch::StartsWith("t.test:1: invalid step definition \"five\""));
  CHECK_THAT(parse_error("load\n"), Catch::StartsWith("t.test:1: invalid load command"));
  CHECK_THAT(parse_error("load 1m\n  m 1\n  m{ 2\n"),
             Catch::StartsWith("t.test:3: unclosed label set"));
  CHECK_THAT(parse_error("\n\neval instant 5m up\n"),
             Catch::StartsWith("t.test:3: invalid evaluation command"));
  CHECK_THAT(parse_error("eval instant at 5m\n"),
             Catch::StartsWith("t.test:1: invalid evaluation command"));
  CHECK_THAT(parse_error("eval range from 0 to 1m step 1m up\n"),
             Catch::StartsWith("t.test:1: invalid evaluation command"));
  CHECK_THAT(parse_error("eval_sometimes instant at 5m up\n"),
             Catch::StartsWith("t.test:1: invalid evaluation command"));
  CHECK_THAT(parse_error("eval instant at 5q up\n"),
             Catch::StartsWith("t.test:1: invalid step definition \"5q\""));
  CHECK(parse_error("eval instant at 5m up\n  up 1 2\n") ==
        "t.test:2: an expected sample takes exactly one value");
  CHECK(parse_error("eval instant at 5m up\n  up _\n") ==
        "t.test:2: an expected sample takes exactly one value");
  CHECK_THAT(parse_error("eval instant at 5m up\n  up{a=\"b} 1\n"),
             Catch::StartsWith("t.test:2: unclosed label set"));
  // A scalar ends the eval: what follows it is a command, and not a valid one.
  CHECK(parse_error("eval instant at 5m 1\n  1\n  2\n") == "t.test:3: invalid command \"2\"");
  CHECK_THAT(parse_error("eval instant at 5m 1\n  \"unclosed\n"),
             Catch::StartsWith("t.test:2: bad expected string"));
  auto missing = read_promql_test_script("/nonexistent/dir/x.test");
  REQUIRE_FALSE(missing.is_ok());
  CHECK_THAT(missing.error(), Catch::StartsWith("/nonexistent/dir/x.test: "));
}

TEST_CASE("every file of Prometheus 2.42's PromQL suite parses: 566 evaluations",
          "[promql_test_script]") {
  const std::filesystem::path folder =
      std::filesystem::path(MC_SHARED_DIR) / "conformance" / "promql";
  if (!std::filesystem::is_directory(folder)) {
    WARN("skipped: " << folder.string() << " is absent");
    return;
  }
  size_t files = 0;
  size_t evals = 0;
  size_t series = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".test") continue;
    auto script = read_promql_test_script(entry.path());
    INFO(entry.path().filename().string());
    REQUIRE(script.is_ok());
    ++files;
    evals += script->eval_count();
    for (const auto& command : script->commands) {
      if (const auto* load = std::get_if<LoadCommand>(&command)) series += load->series.size();
    }
  }
  std::cout << files << " PromQL test files: " << evals << " evaluations, " << series
            << " series loaded\n";
  CHECK(files == 11);
  CHECK(evals == 566);
}

}  // namespace
}  // namespace mc::test
