// Every expression of the PromQL conformance files (../shared/conformance/promql,
// Prometheus 2.42's own promql/testdata) must parse: 2.42's test runner parses
// them all, the eval_fail ones included, before evaluating anything.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <string>

#include "common/query/parser.hpp"
#include "common/query/printer.hpp"

namespace mc::query {
namespace {

TEST_CASE("parser parses every eval expression of the PromQL conformance files") {
  const std::filesystem::path folder =
      std::filesystem::path(MC_SHARED_DIR) / "conformance" / "promql";
  if (!std::filesystem::is_directory(folder)) {
    WARN("skipped: " << folder.string() << " is absent");
    std::cout << "skipped: " << folder.string() << " is absent\n";
    return;
  }
  // test.go's patterns: "eval[_fail|_ordered] instant at <duration> <expr>",
  // and the range form "eval range from <t> to <t> step <d> <expr>".
  const std::regex instant(R"(^eval(?:_fail|_ordered)?\s+instant\s+(?:at\s+\S+\s+)?(.+)$)");
  const std::regex range(
      R"(^eval(?:_fail|_ordered)?\s+range\s+from\s+\S+\s+to\s+\S+\s+step\s+\S+\s+(.+)$)");
  size_t files = 0;
  size_t expressions = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".test") continue;
    ++files;
    std::ifstream in(entry.path());
    std::string line;
    size_t line_number = 0;
    while (std::getline(in, line)) {
      ++line_number;
      if (!line.starts_with("eval")) continue;
      std::smatch match;
      const bool matched =
          std::regex_match(line, match, instant) || std::regex_match(line, match, range);
      INFO(entry.path().filename().string() << ":" << line_number << ": " << line);
      REQUIRE(matched);
      const std::string expression = match[1];
      auto parsed = parse_expr(expression);
      CHECK(parsed.is_ok());
      if (!parsed) {
        FAIL_CHECK(parsed.error());
        continue;
      }
      // What the printer writes must parse to the same text again.
      const std::string printed = to_string(**parsed);
      auto reparsed = parse_expr(printed);
      REQUIRE(reparsed.is_ok());
      CHECK(to_string(**reparsed) == printed);
      ++expressions;
    }
  }
  std::cout << "parsed " << expressions << " eval expressions of " << files
            << " conformance files\n";
  CHECK(files > 0);
  CHECK(expressions > 0);
}

}  // namespace
}  // namespace mc::query
