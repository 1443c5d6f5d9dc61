#include "tests/support/promql_test_script.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <utility>

#include "common/query/ast.hpp"
#include "common/query/label_matcher.hpp"
#include "common/query/parser.hpp"
#include "common/util/duration.hpp"
#include "common/util/read_file.hpp"

namespace mc::test {
namespace {

// A series line of the suite expands to at most 10,001 values ("0+1x10000");
// a typo such as "x100000000000" must fail, not exhaust memory.
constexpr size_t kMaxStepsPerLine = 1'000'000;

bool is_space(char c) { return c == ' ' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_alphanumeric(char c) { return is_alpha(c) || is_digit(c); }

std::string_view trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n\v\f");
  if (first == std::string_view::npos) return {};
  const size_t last = text.find_last_not_of(" \t\r\n\v\f");
  return text.substr(first, last - first + 1);
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

int digit_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// strconv.ParseInt(text, 0, 64): a sign, then 0x, 0o, 0b or a leading 0
// (octal) or decimal digits; "_" only between digits or after a prefix.
std::optional<double> parse_go_int(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  int base = 10;
  bool prefixed = false;
  if (text.size() >= 2 && text[0] == '0') {
    const char p = static_cast<char>(text[1] | 0x20);
    if (p == 'x' || p == 'o' || p == 'b') {
      base = p == 'x' ? 16 : p == 'o' ? 8 : 2;
      prefixed = true;
      text.remove_prefix(2);
    } else {
      base = 8;
      text.remove_prefix(1);
    }
  }
  if (text.empty() && !(base == 8 && !prefixed)) return std::nullopt;
  uint64_t magnitude = 0;
  bool last_was_digit = prefixed || base == 8;  // "0x_1" and "0_7" are Go syntax
  for (const char c : text) {
    if (c == '_') {
      if (!last_was_digit) return std::nullopt;
      last_was_digit = false;
      continue;
    }
    const int digit = digit_value(c);
    if (digit >= base) return std::nullopt;
    if (magnitude > (std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(digit)) /
                        static_cast<uint64_t>(base)) {
      return std::nullopt;
    }
    magnitude = magnitude * static_cast<uint64_t>(base) + static_cast<uint64_t>(digit);
    last_was_digit = true;
  }
  if (!text.empty() && !last_was_digit) return std::nullopt;  // a trailing "_"
  const uint64_t limit =
      static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
  if (magnitude > limit) return std::nullopt;  // ParseInt's range error: ParseFloat's turn
  const double value = static_cast<double>(magnitude);
  return negative ? -value : value;
}

// strconv.ParseFloat(text, 64) for the forms Go accepts: a sign, then
// inf/infinity/nan in any case, decimal digits with a fraction and exponent,
// or a hex mantissa with its required p exponent.
std::optional<double> parse_go_float(std::string_view text) {
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (equals_ignoring_case(body, "inf") || equals_ignoring_case(body, "infinity")) {
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  }
  if (equals_ignoring_case(body, "nan")) return std::numeric_limits<double>::quiet_NaN();
  const bool hex = body.size() >= 2 && body[0] == '0' && (body[1] | 0x20) == 'x';
  size_t i = hex ? 2 : 0;
  const auto is_mantissa_digit = [&](char c) { return hex ? digit_value(c) < 16 : is_digit(c); };
  size_t mantissa_digits = 0;
  while (i < body.size() && is_mantissa_digit(body[i])) ++i, ++mantissa_digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && is_mantissa_digit(body[i])) ++i, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return std::nullopt;
  const char exponent_mark = hex ? 'p' : 'e';
  if (i < body.size() && (body[i] | 0x20) == exponent_mark) {
    ++i;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
    size_t exponent_digits = 0;
    while (i < body.size() && is_digit(body[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return std::nullopt;
  } else if (hex) {
    return std::nullopt;
  }
  if (i != body.size()) return std::nullopt;
  const std::string copy(text);
  errno = 0;
  const double value = std::strtod(copy.c_str(), nullptr);
  if (errno == ERANGE && std::isinf(value)) return std::nullopt;  // Go: "value out of range"
  return value;
}

// "_x3", "3" after an "x": the count of a repetition, decimal digits only
// (strconv.ParseUint(s, 10, 64) in the grammar).
Result<size_t> parse_repetition(std::string_view item, std::string_view count) {
  if (count.empty() || !std::all_of(count.begin(), count.end(), is_digit) || count.size() > 9) {
    return Status::error(fmt::format("bad repetition count in \"{}\"", item));
  }
  return static_cast<size_t>(std::strtoul(std::string(count).c_str(), nullptr, 10));
}

// The lexer's number in a series description: digits, a fraction, an
// exponent; never hex, since "0x10" reads as 0 repeated 10 more times there.
size_t scan_series_number(std::string_view text, size_t at) {
  while (at < text.size() && is_digit(text[at])) ++at;
  if (at < text.size() && text[at] == '.') {
    ++at;
    while (at < text.size() && is_digit(text[at])) ++at;
  }
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
    while (at < text.size() && is_digit(text[at])) ++at;
  }
  return at;
}

// One value at the start of `item` from `at`: a signed number, Inf, NaN or
// "stale". Advances `at` past it.
Result<double> read_series_value(std::string_view item, size_t& at) {
  const size_t start = at;
  if (at < item.size() && (item[at] == '+' || item[at] == '-')) ++at;
  if (at < item.size() && is_alpha(item[at])) {
    while (at < item.size() && (is_alphanumeric(item[at]) || item[at] == ':')) ++at;
    const std::string_view word = item.substr(start, at - start);
    if (word == "stale") return stale_nan();
    // Go's lexer makes Inf and NaN numbers, in any case; other words are names.
    const std::string_view name = word.substr(word[0] == '+' || word[0] == '-' ? 1 : 0);
    if (equals_ignoring_case(name, "inf") || equals_ignoring_case(name, "nan")) {
      return *parse_go_float(word);
    }
    return Status::error(
        fmt::format("unexpected \"{}\" in \"{}\", expected a number or \"stale\"", word, item));
  }
  const bool number_starts =
      at < item.size() &&
      (is_digit(item[at]) || (item[at] == '.' && at + 1 < item.size() && is_digit(item[at + 1])));
  if (!number_starts) {
    return Status::error(fmt::format("expected a number in \"{}\"", item));
  }
  at = scan_series_number(item, at);
  // Only the repetition's "x" may follow a number directly.
  if (at < item.size() && is_alphanumeric(item[at]) && item[at] != 'x') {
    return Status::error(fmt::format("bad number syntax in \"{}\"", item));
  }
  const auto value = parse_go_number(item.substr(start, at - start));
  if (!value) {
    return Status::error(
        fmt::format("bad number \"{}\" in \"{}\"", item.substr(start, at - start), item));
  }
  return *value;
}

// One whitespace-free item of a series line, appended to `steps`.
Status expand_item(std::string_view item, std::vector<SeriesStep>& steps) {
  const auto room_for = [&](size_t more) -> Status {
    if (steps.size() + more > kMaxStepsPerLine) {
      return Status::error(
          fmt::format("\"{}\" makes the line longer than {} values", item, kMaxStepsPerLine));
    }
    return Status::ok();
  };
  if (item == "_") {
    steps.emplace_back(std::nullopt);
    return Status::ok();
  }
  if (item.starts_with("_x")) {
    auto count = parse_repetition(item, item.substr(2));
    if (!count) return count.status();
    if (auto room = room_for(*count); !room) return room;
    steps.insert(steps.end(), *count, std::nullopt);
    return Status::ok();
  }
  size_t at = 0;
  auto first = read_series_value(item, at);
  if (!first) return first.status();
  if (at == item.size()) {
    steps.emplace_back(*first);
    return Status::ok();
  }
  double increment = 0;
  if (item[at] == '+' || item[at] == '-') {
    const size_t sign = at;
    ++at;
    if (at >= item.size() || !(is_digit(item[at]) || item[at] == '.')) {
      return Status::error(fmt::format("expected a number after the sign in \"{}\"", item));
    }
    at = scan_series_number(item, at);
    const auto step = parse_go_number(item.substr(sign, at - sign));
    if (!step) return Status::error(fmt::format("bad increment in \"{}\"", item));
    increment = *step;
    if (at >= item.size() || item[at] != 'x') {
      return Status::error(fmt::format("expected x<count> after the increment in \"{}\"", item));
    }
  }
  if (item[at] != 'x') return Status::error(fmt::format("unexpected text in \"{}\"", item));
  auto count = parse_repetition(item, item.substr(at + 1));
  if (!count) return count.status();
  if (auto room = room_for(*count + 1); !room) return room;
  // The first value and `count` more, each `increment` above the last (the
  // grammar adds as it goes, so rounding matches Prometheus's).
  double value = *first;
  for (size_t k = 0; k <= *count; ++k) {
    steps.emplace_back(value);
    value += increment;
  }
  return Status::ok();
}

// Where the metric part of a series line ends: after the "}" that closes its
// label set, or at the first blank. Quoted label values may hold "}" or blanks.
Result<size_t> metric_part_end(std::string_view line) {
  const size_t brace = line.find('{');
  const size_t blank = line.find_first_of(" \t");
  if (brace == std::string_view::npos || (blank != std::string_view::npos && blank < brace)) {
    return blank == std::string_view::npos ? line.size() : blank;
  }
  char quote = 0;
  for (size_t i = brace + 1; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == '\\' && quote != '`') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '"' || c == '\'' || c == '`') {
      quote = c;
    } else if (c == '}') {
      return i + 1;
    }
  }
  return Status::error("unclosed label set, expected \"}\"");
}

// `metric{a="b"}`, `{a="b"}`, `metric` or `{}` as labels, read by our PromQL
// parser as the selector it also is (Go's quoting and escapes included).
Result<Labels> parse_metric(std::string_view metric) {
  if (metric == "{}") return Labels();
  auto parsed = query::parse_expr(metric);
  if (!parsed) return Status::error(fmt::format("bad series \"{}\": {}", metric, parsed.error()));
  const auto* selector = (*parsed)->as<query::VectorSelector>();
  if (selector == nullptr || selector->modifiers.has_at() ||
      selector->modifiers.offset.count() != 0) {
    return Status::error(fmt::format("bad series \"{}\": not a metric with labels", metric));
  }
  LabelsBuilder builder;
  for (const query::LabelMatcher& matcher : selector->matchers) {
    if (matcher.type() != query::MatchType::Equal) {
      return Status::error(fmt::format("bad series \"{}\": labels take \"=\", not \"{}\"", metric,
                                       query::match_type_text(matcher.type())));
    }
    if (builder.has(matcher.name())) {
      return Status::error(
          fmt::format("bad series \"{}\": label \"{}\" given twice", metric, matcher.name()));
    }
    builder.set(matcher.name(), matcher.value());
  }
  return builder.labels();
}

struct Lines {
  std::vector<std::string_view> lines;  // trimmed; comment lines empty

  explicit Lines(std::string_view text) {
    // Bounded by the text: every turn consumes at least one character.
    while (!text.empty()) {
      const size_t newline = text.find('\n');
      const std::string_view raw = text.substr(0, newline);
      const std::string_view line = trim(raw);
      lines.push_back(line.starts_with('#') ? std::string_view() : line);
      if (newline == std::string_view::npos) break;
      text.remove_prefix(newline + 1);
    }
  }
};

class ScriptParser {
 public:
  ScriptParser(std::string_view text, std::string file_name)
      : lines_(text), file_name_(std::move(file_name)) {}

  Result<PromqlTestScript> parse() {
    PromqlTestScript script;
    script.file_name = file_name_;
    for (at_ = 0; at_ < lines_.lines.size(); ++at_) {
      const std::string_view line = lines_.lines[at_];
      if (line.empty()) continue;
      std::string command(line.substr(0, line.find_first_of(" \t")));
      std::transform(command.begin(), command.end(), command.begin(),
                     [](char c) { return static_cast<char>(c | 0x20); });
      Status status;
      if (command == "clear") {
        script.commands.emplace_back(ClearCommand{line_number()});
      } else if (command == "load") {
        status = parse_load(script);
      } else if (command.starts_with("eval")) {
        status = parse_eval(script);
      } else {
        status = error(fmt::format("invalid command \"{}\"", line));
      }
      if (!status) return status;
    }
    return script;
  }

 private:
  size_t line_number() const { return at_ + 1; }
  Status error(std::string_view message) const {
    return Status::error(fmt::format("{}:{}: {}", file_name_, line_number(), message));
  }

  // The next line of the block, or nothing at a blank line or the end.
  std::optional<std::string_view> next_block_line() {
    if (at_ + 1 >= lines_.lines.size() || lines_.lines[at_ + 1].empty()) return std::nullopt;
    return lines_.lines[++at_];
  }

  Status parse_load(PromqlTestScript& script) {
    const std::string_view line = lines_.lines[at_];
    if (!line.starts_with("load") || line.size() < 5 || !is_space(line[4])) {
      return error("invalid load command. (load <step:duration>)");
    }
    const std::string_view interval_text = trim(line.substr(4));
    auto interval = parse_duration(interval_text);
    if (!interval) {
      return error(
          fmt::format("invalid step definition \"{}\": {}", interval_text, interval.error()));
    }
    LoadCommand load{line_number(), *interval, {}};
    while (auto series_text = next_block_line()) {
      auto series = parse_series_line(*series_text);
      if (!series) return error(series.error());
      LoadedSeries loaded{std::move(series->labels), {}};
      int64_t t_ms = 0;
      for (const SeriesStep& step : series->steps) {
        if (step) loaded.samples.push_back({t_ms, *step});
        t_ms += interval->count();
      }
      auto same = std::find_if(load.series.begin(), load.series.end(),
                               [&](const LoadedSeries& s) { return s.labels == loaded.labels; });
      if (same != load.series.end()) {
        *same = std::move(loaded);
      } else {
        load.series.push_back(std::move(loaded));
      }
    }
    script.commands.emplace_back(std::move(load));
    return Status::ok();
  }

  // eval[_fail|_ordered] instant at <duration> <expr>, as test.go's pattern
  // `^eval(?:_(fail|ordered))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$` reads it.
  Status parse_eval(PromqlTestScript& script) {
    const std::string_view line = lines_.lines[at_];
    constexpr std::string_view kUsage =
        "invalid evaluation command. (eval[_fail|_ordered] instant [at <offset:duration>] "
        "<query>)";
    EvalCommand eval;
    eval.line = line_number();
    std::string_view rest = line.substr(4);
    if (rest.starts_with("_fail")) {
      eval.mode = EvalMode::Fail;
      rest.remove_prefix(5);
    } else if (rest.starts_with("_ordered")) {
      eval.mode = EvalMode::Ordered;
      rest.remove_prefix(8);
    }
    const auto take_word = [&]() {
      const size_t start = rest.find_first_not_of(" \t");
      if (start == 0 || start == std::string_view::npos) return std::string_view();
      rest.remove_prefix(start);
      const size_t end = std::min(rest.find_first_of(" \t"), rest.size());
      const std::string_view word = rest.substr(0, end);
      rest.remove_prefix(end);
      return word;
    };
    if (take_word() != "instant" || take_word() != "at") return error(kUsage);
    const std::string_view at_text = take_word();
    const std::string_view expr = trim(rest);
    if (at_text.empty() || expr.empty() || rest.empty() || !is_space(rest[0])) {
      return error(kUsage);
    }
    auto at = parse_duration(at_text);
    if (!at) return error(fmt::format("invalid step definition \"{}\": {}", at_text, at.error()));
    eval.t_ms = at->count();
    eval.expr = std::string(expr);

    size_t position = 0;
    while (auto expected = next_block_line()) {
      ++position;
      if (auto scalar = parse_go_number(*expected)) {
        eval.scalar = *scalar;
        break;  // test.go: a scalar ends the eval
      }
      if (expected->front() == '"' || expected->front() == '\'' || expected->front() == '`') {
        auto string = query::parse_expr(*expected);
        const auto* literal = string ? (*string)->as<query::StringLiteral>() : nullptr;
        if (literal == nullptr) return error(fmt::format("bad expected string {}", *expected));
        eval.string = literal->value;
        break;
      }
      auto series = parse_series_line(*expected);
      if (!series) return error(series.error());
      if (series->steps.size() != 1 || !series->steps[0]) {
        return error("an expected sample takes exactly one value");
      }
      ExpectedSample sample{line_number(), position, std::move(series->labels), *series->steps[0]};
      auto same = std::find_if(eval.samples.begin(), eval.samples.end(),
                               [&](const ExpectedSample& s) { return s.labels == sample.labels; });
      if (same != eval.samples.end()) {
        *same = std::move(sample);
      } else {
        eval.samples.push_back(std::move(sample));
      }
    }
    script.commands.emplace_back(std::move(eval));
    return Status::ok();
  }

  Lines lines_;
  std::string file_name_;
  size_t at_ = 0;
};

}  // namespace

std::optional<double> parse_go_number(std::string_view text) {
  if (auto integer = parse_go_int(text)) return integer;
  return parse_go_float(text);
}

Result<std::vector<SeriesStep>> expand_series_values(std::string_view values) {
  std::vector<SeriesStep> steps;
  // Bounded by the text: every turn consumes one item.
  while (true) {
    const size_t start = values.find_first_not_of(" \t");
    if (start == std::string_view::npos) break;
    values.remove_prefix(start);
    const size_t end = std::min(values.find_first_of(" \t"), values.size());
    if (auto status = expand_item(values.substr(0, end), steps); !status) return status;
    values.remove_prefix(end);
  }
  return steps;
}

Result<SeriesLine> parse_series_line(std::string_view line) {
  line = trim(line);
  auto end = metric_part_end(line);
  if (!end) return end.status();
  auto labels = parse_metric(line.substr(0, *end));
  if (!labels) return labels.status();
  const std::string_view values = line.substr(*end);
  if (!values.empty() && !is_space(values[0])) {
    return Status::error(fmt::format("expected a blank after the series in \"{}\"", line));
  }
  auto steps = expand_series_values(values);
  if (!steps) return steps.status();
  return SeriesLine{std::move(*labels), std::move(*steps)};
}

size_t PromqlTestScript::eval_count() const {
  return static_cast<size_t>(std::count_if(commands.begin(), commands.end(), [](const auto& c) {
    return std::holds_alternative<EvalCommand>(c);
  }));
}

Result<PromqlTestScript> parse_promql_test_script(std::string_view text, std::string file_name) {
  return ScriptParser(text, std::move(file_name)).parse();
}

Result<PromqlTestScript> read_promql_test_script(const std::filesystem::path& path) {
  auto text = read_file(path.string());
  if (!text) return Status::error(fmt::format("{}: {}", path.string(), text.error()));
  return parse_promql_test_script(*text, path.filename().string());
}

}  // namespace mc::test
