// A script of Prometheus 2.42's own PromQL tests (promql/testdata/*.test, in
// ../shared/conformance/promql), read as promql/test.go reads one, so that our
// engine is held to the same evaluations Prometheus's is:
//
//   load 5m                                  samples every 5m from t=0
//     http_requests{job="api"} 0+10x3 _ stale  (0 10 20 30, none, a stale marker)
//   clear                                    an empty storage again
//   eval instant at 10m sum(http_requests)   the result must be exactly
//     {} 30                                  these samples (or one scalar)
//   eval_ordered ...                         ... in this order
//   eval_fail ...                            an error
//
// Lines are trimmed, "#" starts a comment line, a blank line ends a block.
// Every error names the file and line: "aggregators.test:12: ...".
// Expressions are not parsed here: the engine's answer to one that does not
// parse is that eval's failure alone, not the whole file's.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/sample_value.hpp"
#include "common/util/status.hpp"

namespace mc::test {

// One step of a series line: a value, or nothing ("_": no sample at that step).
using SeriesStep = std::optional<double>;

// What a series line's values stand for, step by step, as Prometheus's series
// description grammar expands them: "1 _ stale" (1, none, StaleNaN), "0+10x3"
// (0 10 20 30: three more after the first), "5-1x2" (5 4 3), "7x2" (7 7 7),
// "_x2" (none, none). Numbers are Go's (Inf, NaN, 1e3, .5; a leading 0 is
// octal, as strconv.ParseInt(s, 0, 64) reads it). The error names the item.
Result<std::vector<SeriesStep>> expand_series_values(std::string_view values);

// `metric{label="value", ...} values`, `{...} values` or `metric values`.
struct SeriesLine {
  Labels labels;
  std::vector<SeriesStep> steps;
};
Result<SeriesLine> parse_series_line(std::string_view line);

// Go's strconv.ParseInt(text, 0, 64), else strconv.ParseFloat(text, 64), as
// test.go reads an expected scalar ("2", "-0.0000002", "+Inf", "NaN", "0x1F").
std::optional<double> parse_go_number(std::string_view text);

struct LoadedSeries {
  Labels labels;
  std::vector<Sample> samples;  // in time order; steps without a value left out
};

struct LoadCommand {
  size_t line = 0;
  std::chrono::milliseconds interval{0};
  // One per label set: a later line with the same labels replaces the earlier.
  std::vector<LoadedSeries> series;
};

struct ClearCommand {
  size_t line = 0;
};

enum class EvalMode { Unordered, Ordered, Fail };

struct ExpectedSample {
  size_t line = 0;
  // 1-based, among the eval's expected lines: where eval_ordered wants it.
  size_t position = 0;
  Labels labels;
  double value = 0;
};

struct EvalCommand {
  size_t line = 0;
  std::string expr;
  int64_t t_ms = 0;  // "at <duration>" after the Unix epoch
  EvalMode mode = EvalMode::Unordered;
  // What the result must be: a scalar, a string, or else an instant vector of
  // exactly `samples` (none: an empty vector). One per label set.
  std::optional<double> scalar;
  std::optional<std::string> string;
  std::vector<ExpectedSample> samples;
};

using ScriptCommand = std::variant<LoadCommand, ClearCommand, EvalCommand>;

struct PromqlTestScript {
  std::string file_name;
  std::vector<ScriptCommand> commands;

  size_t eval_count() const;
};

// `file_name` is what errors name.
Result<PromqlTestScript> parse_promql_test_script(std::string_view text, std::string file_name);
// Reads and parses; errors name the file by its file name alone.
Result<PromqlTestScript> read_promql_test_script(const std::filesystem::path& path);

}  // namespace mc::test
