#include "common/exposition/openmetrics_parser.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstring>

#include "common/exposition/openmetrics_family.hpp"
#include "common/exposition/parse_chars.hpp"
#include "common/exposition/parse_label_buffer.hpp"
#include "common/exposition/parse_number.hpp"

namespace mc::exposition_detail {
namespace {

// The OpenMetrics limit on an exemplar's label names and values together.
constexpr size_t kMaxExemplarLabelChars = 128;

class OpenMetricsParser {
 public:
  OpenMetricsParser(std::string_view body, ExpositionHandler& handler, const ParseOptions& options)
      : body_(body),
        handler_(handler),
        options_(options),
        rules_(handler, options.allow_repeated_families) {}

  Status parse();

 private:
  Status error(std::string_view message) const {
    return Status::error(fmt::format("line {}: {}", line_, message));
  }
  Status parse_metadata_line(std::string_view text);
  Status parse_sample_line(const char* begin, const char* end);
  // What follows " # " on a sample line: "{labels} value [timestamp]" up to `end`.
  struct ExemplarParts {
    double value = 0;
    std::optional<OpenMetricsTimestamp> timestamp;
  };
  Status parse_exemplar(const char* p, const char* end, ExemplarParts& out);
  // `p` is just after "{"; on success it is just after "}". `of_sample`: the
  // labels of a sample, where __name__ may not appear (an exemplar's may).
  Status parse_labels(const char*& p, const char* end, LabelBuffer& labels, std::string_view what,
                      bool of_sample) const;

  std::string_view body_;
  ExpositionHandler& handler_;
  const ParseOptions& options_;
  OpenMetricsFamilyRules rules_;
  uint32_t line_ = 1;
  LabelBuffer labels_;
  LabelBuffer exemplar_labels_;
};

Status OpenMetricsParser::parse() {
  const char* p = body_.data();
  const char* const end = p + body_.size();
  while (p < end) {
    const void* newline = std::memchr(p, '\n', static_cast<size_t>(end - p));
    const char* line_end = newline ? static_cast<const char*>(newline) : end;
    if (line_end == p) return error("blank lines are not allowed");
    Status status;
    if (*p == '#') {
      const std::string_view text(p, static_cast<size_t>(line_end - p));
      if (text == "# EOF") {
        if (Status finished = rules_.finish(line_); !finished) return finished;
        if (newline && line_end + 1 != end) {
          ++line_;
          return error("text after # EOF");
        }
        return Status::ok();
      }
      status = parse_metadata_line(text);
    } else {
      status = parse_sample_line(p, line_end);
    }
    if (!status) return status;
    p = newline ? line_end + 1 : end;
    ++line_;
  }
  return error("missing # EOF at the end of the exposition");
}

// "# HELP name text", "# TYPE name type", "# UNIT name unit", single spaces;
// the text may be empty but its separating space may not be missing.
Status OpenMetricsParser::parse_metadata_line(std::string_view text) {
  if (!text.starts_with("# ")) {
    return error(
        "comments are not allowed; a line starting with '#' must be # HELP, # TYPE, "
        "# UNIT or # EOF");
  }
  std::string_view rest = text.substr(2);
  const size_t keyword_end = rest.find(' ');
  const std::string_view keyword = rest.substr(0, keyword_end);
  MetadataKind kind;
  if (keyword == "HELP") {
    kind = MetadataKind::help;
  } else if (keyword == "TYPE") {
    kind = MetadataKind::type;
  } else if (keyword == "UNIT") {
    kind = MetadataKind::unit;
  } else {
    return error(fmt::format("unknown metadata {}; want # HELP, # TYPE, # UNIT or # EOF",
                             quote_for_message(text)));
  }
  if (keyword_end == std::string_view::npos) {
    return error(fmt::format("expected a metric name after # {}", keyword));
  }
  rest.remove_prefix(keyword_end + 1);
  const size_t name_end = rest.find(' ');
  if (name_end == std::string_view::npos) {
    return error(fmt::format("expected a metric name, a space and text after # {}", keyword));
  }
  return rules_.on_metadata(kind, rest.substr(0, name_end), rest.substr(name_end + 1), line_);
}

Status OpenMetricsParser::parse_labels(const char*& p, const char* end, LabelBuffer& labels,
                                       std::string_view what, bool of_sample) const {
  if (p < end && *p == '}') {
    ++p;
    return Status::ok();
  }
  for (;;) {
    const char* name_start = p;
    if (p < end && has_class(*p, kLabelNameStartChar)) {
      ++p;
      while (p < end && has_class(*p, kLabelNameChar)) ++p;
    }
    const std::string_view name(name_start, static_cast<size_t>(p - name_start));
    if (name.empty()) {
      return error(fmt::format("expected a label name in {}, got {}", what,
                               quote_for_message(std::string_view(p, end))));
    }
    if (of_sample && name == kMetricNameLabel) {
      // The metric name is __name__ already; Prometheus 2.42 fails the scrape
      // (measured: "label name \"__name__\" is not unique"), as in text 0.0.4.
      return error(
          "label name \"__name__\" inside the braces: the metric name is __name__ "
          "already (Prometheus: label name not unique)");
    }
    if (p == end || *p != '=') {
      return error(fmt::format("expected '=' after label name \"{}\" in {}", name, what));
    }
    ++p;
    if (p == end || *p != '"') {
      return error(
          fmt::format("expected a double-quoted value for label \"{}\" in {}", name, what));
    }
    ++p;
    const LabelValueScan scan = scan_label_value(p, end, /*allow_line_breaks=*/false);
    if (scan.outcome == LabelValueScan::Outcome::invalid_utf8) {
      return error(fmt::format("value of label \"{}\" is not valid UTF-8", name));
    }
    if (scan.outcome != LabelValueScan::Outcome::ok) {
      return error(fmt::format("unterminated value of label \"{}\" in {}", name, what));
    }
    labels.add(name, scan.written_value, scan.has_escape);
    if (p < end && *p == ',') {
      ++p;
      continue;
    }
    if (p < end && *p == '}') {
      ++p;
      break;
    }
    return error(
        fmt::format("expected ',' or '}}' after the value of label \"{}\" in {}", name, what));
  }
  if (const std::string_view duplicate = labels.find_duplicate_name(); !duplicate.empty()) {
    return error(fmt::format("duplicate label name \"{}\" in {}", duplicate, what));
  }
  return Status::ok();
}

Status OpenMetricsParser::parse_sample_line(const char* begin, const char* end) {
  const char* p = begin;
  if (!has_class(*p, kMetricNameStartChar)) {
    return error(fmt::format("expected a metric name at the start of the line, got {}",
                             quote_for_message(std::string_view(begin, end))));
  }
  ++p;
  while (p < end && has_class(*p, kMetricNameChar)) ++p;
  const std::string_view name(begin, static_cast<size_t>(p - begin));
  labels_.clear();
  if (p < end && *p == '{') {
    ++p;
    if (Status status = parse_labels(p, end, labels_, "the sample", /*of_sample=*/true); !status)
      return status;
  }
  const std::string_view series_id(begin, static_cast<size_t>(p - begin));
  if (p == end) return error(fmt::format("expected a space and a value after \"{}\"", series_id));
  if (*p != ' ') {
    return error(fmt::format("expected a space after \"{}\", got {}", series_id,
                             quote_for_message(std::string_view(p, end))));
  }
  ++p;
  const char* value_start = p;
  while (p < end && *p != ' ') ++p;
  const std::string_view value_text(value_start, static_cast<size_t>(p - value_start));
  if (value_text.empty()) return error("expected a value after a single space");
  const auto value = parse_sample_value(value_text);
  if (!value) return error(fmt::format("invalid value {}", quote_for_message(value_text)));

  std::optional<OpenMetricsTimestamp> timestamp;
  bool has_exemplar = false;
  ExemplarParts exemplar;
  if (p < end) {
    ++p;  // the space
    if (p == end) return error("trailing space at the end of the line");
    if (*p != '#') {
      const char* timestamp_start = p;
      while (p < end && *p != ' ') ++p;
      const std::string_view timestamp_text(timestamp_start,
                                            static_cast<size_t>(p - timestamp_start));
      if (timestamp_text.empty()) return error("expected a timestamp after a single space");
      timestamp = parse_openmetrics_timestamp(timestamp_text);
      if (!timestamp) {
        return error(fmt::format("invalid timestamp {} (want seconds, e.g. 1700000000.123)",
                                 quote_for_message(timestamp_text)));
      }
      if (p < end) {
        ++p;
        if (p == end) return error("trailing space at the end of the line");
        if (*p != '#') {
          return error(
              fmt::format("expected \" # {{labels}} value\" (an exemplar) after the "
                          "timestamp, got {}",
                          quote_for_message(std::string_view(p, end))));
        }
      }
    }
    if (p < end) {
      // " # {labels} value [timestamp]"
      if (end - p < 3 || p[1] != ' ' || p[2] != '{') {
        return error("an exemplar must be written \" # {labels} value [timestamp]\"");
      }
      has_exemplar = true;
      if (Status status = parse_exemplar(p + 3, end, exemplar); !status) return status;
    }
  }

  SampleView sample;
  sample.name = name;
  sample.labels = labels_.finish();
  sample.series_id = series_id;
  sample.value = *value;
  if (timestamp) sample.timestamp_ms = timestamp->ms;
  sample.line = line_;
  std::optional<OpenMetricsNanos> timestamp_nanos;
  if (timestamp) timestamp_nanos = timestamp->nanos;
  if (Status status = rules_.on_sample(sample, timestamp_nanos, has_exemplar); !status) {
    return status;
  }
  if (has_exemplar && options_.parse_exemplars) {
    ExemplarView view;
    view.labels = exemplar_labels_.labels();
    view.value = exemplar.value;
    if (exemplar.timestamp) view.timestamp_ms = exemplar.timestamp->ms;
    sample.exemplar = view;
  }
  handler_.on_sample(sample);
  return Status::ok();
}

Status OpenMetricsParser::parse_exemplar(const char* p, const char* end, ExemplarParts& out) {
  exemplar_labels_.clear();
  if (Status status = parse_labels(p, end, exemplar_labels_, "the exemplar", /*of_sample=*/false);
      !status) {
    return status;
  }
  size_t label_chars = 0;
  for (const LabelView& label : exemplar_labels_.finish()) {
    label_chars += utf8_length(label.name) + utf8_length(label.value);
  }
  if (label_chars > kMaxExemplarLabelChars) {
    return error(fmt::format("exemplar labels have {} characters; at most {} are allowed",
                             label_chars, kMaxExemplarLabelChars));
  }
  if (p == end || *p != ' ') return error("expected a space and a value after exemplar labels");
  ++p;
  const char* value_start = p;
  while (p < end && *p != ' ') ++p;
  const std::string_view value_text(value_start, static_cast<size_t>(p - value_start));
  const auto value = parse_sample_value(value_text);
  if (!value) return error(fmt::format("invalid exemplar value {}", quote_for_message(value_text)));
  out.value = *value;
  if (p < end) {
    ++p;
    const std::string_view timestamp_text(p, static_cast<size_t>(end - p));
    out.timestamp = parse_openmetrics_timestamp(timestamp_text);
    if (!out.timestamp) {
      return error(fmt::format("invalid exemplar timestamp {}", quote_for_message(timestamp_text)));
    }
  }
  return Status::ok();
}

}  // namespace

Status parse_openmetrics(std::string_view body, ExpositionHandler& handler,
                         const ParseOptions& options) {
  OpenMetricsParser parser(body, handler, options);
  return parser.parse();
}

}  // namespace mc::exposition_detail
