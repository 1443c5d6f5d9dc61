#include "common/exposition/text_parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "common/exposition/parse_chars.hpp"
#include "common/exposition/parse_label_buffer.hpp"
#include "common/exposition/parse_number.hpp"

namespace mc::exposition_detail {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Prometheus's isSeriesPartOfFamily, for the types text 0.0.4 declares.
bool belongs_to_family(std::string_view sample_name, std::string_view family, MetricType type) {
  if (sample_name == family) return true;
  if (!sample_name.starts_with(family)) return false;
  const std::string_view suffix = sample_name.substr(family.size());
  switch (type) {
    case MetricType::counter:
      return suffix == "_total";
    case MetricType::histogram:
      return suffix == "_bucket" || suffix == "_sum" || suffix == "_count";
    case MetricType::summary:
      return suffix == "_sum" || suffix == "_count";
    default:
      return false;
  }
}

std::optional<MetricType> parse_text_type(std::string_view word) {
  if (word == "counter") return MetricType::counter;
  if (word == "gauge") return MetricType::gauge;
  if (word == "histogram") return MetricType::histogram;
  if (word == "summary") return MetricType::summary;
  if (word == "untyped") return MetricType::unknown;
  return std::nullopt;
}

class TextParser {
 public:
  TextParser(std::string_view body, ExpositionHandler& handler)
      : p_(body.data()), end_(body.data() + body.size()), handler_(handler) {}

  Status parse();

 private:
  struct Family {
    bool active = false;
    bool announced = false;
    bool has_samples = false;
    std::string_view name;
    MetricType type = MetricType::unknown;
    std::optional<std::string_view> help;
  };

  static Status error(uint32_t line, std::string_view message) {
    return Status::error(fmt::format("line {}: {}", line, message));
  }
  void skip_blanks() {
    while (p_ < end_ && is_blank(*p_)) ++p_;
  }
  const char* line_end() const {
    const void* newline = std::memchr(p_, '\n', static_cast<size_t>(end_ - p_));
    return newline ? static_cast<const char*>(newline) : end_;
  }

  Status parse_comment_line();
  Status parse_metadata(bool is_help);
  // Moves past `known`, a valid metric name, when the text at p_ is that name
  // (its bytes, then no name byte): what scanning the name would find.
  bool skip_known_name(std::string_view known);
  Status parse_sample_line();
  bool starts_with_known_series(const KnownSeries& known) const;
  Status finish_sample_line(uint32_t sample_line, const char* name_start, std::string_view name,
                            const char* series_end, bool labels_skipped);
  Status parse_labels();

  void start_family(std::string_view name) {
    finish_family();
    family_ = Family{};
    family_.active = true;
    family_.name = name;
  }
  void announce_family() {
    if (family_.announced) return;
    family_.announced = true;
    handler_.on_family(FamilyView{family_.name, family_.type, family_.help, {}});
  }
  void finish_family() {
    if (family_.active) announce_family();
    family_.active = false;
  }

  const char* p_;
  const char* end_;
  ExpositionHandler& handler_;
  uint32_t line_ = 1;
  Family family_;
  LabelBuffer labels_;
  std::string help_scratch_;
};

Status TextParser::parse() {
  while (p_ < end_) {
    const char* line_start = p_;
    skip_blanks();
    if (p_ == end_) break;
    const char c = *p_;
    Status status;
    if (c == '\n') {
      ++p_;
      ++line_;
      continue;
    }
    if (c == '#') {
      status = parse_comment_line();
    } else if (p_ != line_start && has_class(c, kMetricNameStartChar)) {
      // Prometheus's lexer makes the blanks part of the metric name, which is
      // then invalid, and the scrape fails.
      return error(line_,
                   "blanks before the metric name (Prometheus refuses the sample: "
                   "invalid metric name)");
    } else if (has_class(c, kMetricNameStartChar)) {
      status = parse_sample_line();
    } else {
      return error(line_, fmt::format("expected a metric name or a comment, got {}",
                                      quote_for_message(std::string_view(p_, line_end()))));
    }
    if (!status) return status;
    // Each line parser stops on the line break (or the end of the body).
    if (p_ < end_) {
      ++p_;
      ++line_;
    }
  }
  finish_family();
  return Status::ok();
}

// Prometheus's lexer: "#" then blanks then HELP or TYPE then blanks starts
// metadata; anything else after "#" is a comment and ignored.
Status TextParser::parse_comment_line() {
  ++p_;
  if (p_ < end_ && is_blank(*p_)) {
    skip_blanks();
    const auto remaining = static_cast<size_t>(end_ - p_);
    if (remaining > 4 && is_blank(p_[4])) {
      const std::string_view keyword(p_, 4);
      if (keyword == "HELP" || keyword == "TYPE") {
        p_ += 4;
        skip_blanks();
        return parse_metadata(keyword == "HELP");
      }
    }
  }
  p_ = line_end();
  return Status::ok();
}

bool TextParser::skip_known_name(std::string_view known) {
  const size_t size = known.size();
  if (size == 0 || static_cast<size_t>(end_ - p_) < size ||
      std::memcmp(p_, known.data(), size) != 0) {
    return false;
  }
  if (p_ + size < end_ && has_class(p_[size], kMetricNameChar)) return false;
  p_ += size;
  return true;
}

Status TextParser::parse_metadata(bool is_help) {
  const char* name_start = p_;
  // A # TYPE line most often names the family its # HELP line just named, and a
  // # HELP line the family the handler saw next last time: comparing bytes is
  // a third of classifying each (callgrind), and the metadata lines outnumber
  // the samples on a node_exporter page (566 to 507).
  bool known = !is_help && family_.active && skip_known_name(family_.name);
  if (!known) known = skip_known_name(handler_.expected_family_name());
  if (!known && p_ < end_ && has_class(*p_, kMetricNameStartChar)) {
    ++p_;
    while (p_ < end_ && has_class(*p_, kMetricNameChar)) ++p_;
  }
  const std::string_view name(name_start, static_cast<size_t>(p_ - name_start));
  const std::string_view keyword = is_help ? "HELP" : "TYPE";
  if (name.empty()) return error(line_, fmt::format("expected a metric name after # {}", keyword));
  const char* text_end = line_end();
  std::string_view rest(p_, static_cast<size_t>(text_end - p_));
  p_ = text_end;
  // The lexer's text token is everything after the name; the parser drops its
  // first byte (the separating blank). A rest of blanks only is no text.
  std::string_view text;
  if (rest.find_first_not_of(" \t") != std::string_view::npos) text = rest.substr(1);

  if (!family_.active || family_.name != name || family_.has_samples) start_family(name);
  if (is_help) {
    if (!is_valid_utf8(text)) return error(line_, "HELP text is not valid UTF-8");
    // Text 0.0.4 HELP escapes only backslash and line break (Prometheus helpReplacer).
    if (text.find('\\') == std::string_view::npos) {
      family_.help = text;
    } else {
      help_scratch_.clear();
      for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '\\' || text[i + 1] == 'n')) {
          help_scratch_ += text[i + 1] == 'n' ? '\n' : '\\';
          ++i;
        } else {
          help_scratch_ += text[i];
        }
      }
      family_.help = std::string_view(help_scratch_);
    }
    return Status::ok();
  }
  const auto type = parse_text_type(text);
  if (!type) {
    return error(line_, fmt::format("invalid metric type {} in # TYPE (want counter, gauge, "
                                    "histogram, summary or untyped)",
                                    quote_for_message(text)));
  }
  family_.type = *type;
  return Status::ok();
}

Status TextParser::parse_labels() {
  for (;;) {
    skip_blanks();
    if (p_ == end_) return error(line_, "unterminated label set: expected '}'");
    if (*p_ == '}') {
      ++p_;
      return Status::ok();
    }
    const char* name_start = p_;
    if (!has_class(*p_, kLabelNameStartChar)) {
      return error(line_, fmt::format("expected a label name, got {}",
                                      quote_for_message(std::string_view(p_, line_end()))));
    }
    ++p_;
    while (p_ < end_ && has_class(*p_, kLabelNameChar)) ++p_;
    const std::string_view name(name_start, static_cast<size_t>(p_ - name_start));
    if (name == kMetricNameLabel) {
      // The metric name is __name__ already; Prometheus fails the scrape.
      return error(line_,
                   "label name \"__name__\" inside the braces: the metric name is "
                   "__name__ already (Prometheus: label name not unique)");
    }
    skip_blanks();
    if (p_ == end_ || *p_ != '=') {
      return error(line_, fmt::format("expected '=' after label name \"{}\"", name));
    }
    ++p_;
    skip_blanks();
    if (p_ == end_ || *p_ != '"') {
      return error(line_, fmt::format("expected a double-quoted value for label \"{}\"", name));
    }
    ++p_;
    const LabelValueScan scan = scan_label_value(p_, end_, /*allow_line_breaks=*/true);
    switch (scan.outcome) {
      case LabelValueScan::Outcome::ok:
        break;
      case LabelValueScan::Outcome::unterminated:
      case LabelValueScan::Outcome::line_break:
        return error(line_, fmt::format("unterminated value of label \"{}\"", name));
      case LabelValueScan::Outcome::invalid_utf8:
        return error(line_, fmt::format("value of label \"{}\" is not valid UTF-8", name));
    }
    line_ += scan.line_breaks;
    labels_.add(name, scan.written_value, scan.has_escape);
    skip_blanks();
    // Prometheus allows a comma after every label, the last one included, and
    // none at all between labels.
    if (p_ < end_ && *p_ == ',') ++p_;
  }
}

// Whether the line at p_ begins with `known` and the line's series ends where
// it ends, so that reading name and labels again would give the same result.
bool TextParser::starts_with_known_series(const KnownSeries& known) const {
  const std::string_view id = known.series_id;
  if (id.empty() || static_cast<size_t>(end_ - p_) <= id.size() ||
      std::memcmp(p_, id.data(), id.size()) != 0) {
    return false;
  }
  // After a label set the value may follow at once; after a bare name only
  // blanks may, and not a label set: "foo" does not end the series of
  // "foo {a=\"b\"} 1".
  if (id.back() == '}') return true;
  const char* after = p_ + id.size();
  if (!is_blank(*after)) return false;
  while (after < end_ && is_blank(*after)) ++after;
  return after == end_ || *after != '{';
}

Status TextParser::parse_sample_line() {
  const uint32_t sample_line = line_;
  const char* name_start = p_;
  labels_.clear();
  if (const KnownSeries known = handler_.expected_series(); starts_with_known_series(known)) {
    const std::string_view id = known.series_id;
    // Raw line breaks inside label values count as lines (text 0.0.4 allows them).
    if (std::memchr(id.data(), '\n', id.size()) != nullptr) {
      line_ += static_cast<uint32_t>(std::count(id.begin(), id.end(), '\n'));
    }
    p_ += id.size();
    skip_blanks();
    return finish_sample_line(sample_line, name_start,
                              std::string_view(name_start, known.name_size), name_start + id.size(),
                              /*labels_skipped=*/true);
  }
  ++p_;
  while (p_ < end_ && has_class(*p_, kMetricNameChar)) ++p_;
  const std::string_view name(name_start, static_cast<size_t>(p_ - name_start));
  const char* series_end = p_;
  skip_blanks();
  if (p_ < end_ && *p_ == '{') {
    ++p_;
    if (Status status = parse_labels(); !status) return status;
    series_end = p_;
    skip_blanks();
    if (const std::string_view duplicate = labels_.find_duplicate_name(); !duplicate.empty()) {
      return error(sample_line, fmt::format("duplicate label name \"{}\"", duplicate));
    }
  }
  return finish_sample_line(sample_line, name_start, name, series_end, /*labels_skipped=*/false);
}

// The rest of a sample line, from its value on: p_ is at the value.
Status TextParser::finish_sample_line(uint32_t sample_line, const char* name_start,
                                      std::string_view name, const char* series_end,
                                      bool labels_skipped) {
  const char* value_start = p_;
  p_ = find_value_end(p_, end_);
  const std::string_view value_text(value_start, static_cast<size_t>(p_ - value_start));
  if (value_text.empty()) {
    return error(line_, fmt::format("expected a value after metric \"{}\"", name));
  }
  const auto value = parse_sample_value(value_text);
  if (!value) {
    if (value_text.back() == '\r') {
      return error(line_, fmt::format("invalid value {}: carriage return before the line break "
                                      "(CRLF line endings are not allowed)",
                                      quote_for_message(value_text)));
    }
    return error(line_, fmt::format("invalid value {}", quote_for_message(value_text)));
  }
  skip_blanks();
  std::optional<int64_t> timestamp_ms;
  if (p_ < end_ && *p_ != '\n') {
    const char* timestamp_start = p_;
    while (p_ < end_ && has_class(*p_, kDigitChar)) ++p_;
    if (p_ == timestamp_start) {
      return error(line_, fmt::format("expected a timestamp (integer milliseconds) or the end "
                                      "of the line after the value, got {}",
                                      quote_for_message(std::string_view(p_, line_end()))));
    }
    const std::string_view timestamp_text(timestamp_start,
                                          static_cast<size_t>(p_ - timestamp_start));
    timestamp_ms = parse_prometheus_timestamp(timestamp_text);
    if (!timestamp_ms) {
      return error(line_, fmt::format("timestamp {} does not fit in 64 bits",
                                      quote_for_message(timestamp_text)));
    }
    skip_blanks();
    if (p_ < end_ && *p_ != '\n') {
      return error(line_, fmt::format("expected the end of the line after the timestamp, got {}",
                                      quote_for_message(std::string_view(p_, line_end()))));
    }
  }

  if (!family_.active || !belongs_to_family(name, family_.name, family_.type)) {
    start_family(name);
  }
  announce_family();
  family_.has_samples = true;

  SampleView sample;
  sample.name = name;
  sample.family = family_.name;
  sample.type = family_.type;
  sample.labels = labels_.finish();
  sample.series_id = std::string_view(name_start, static_cast<size_t>(series_end - name_start));
  sample.value = *value;
  sample.timestamp_ms = timestamp_ms;
  sample.line = sample_line;
  sample.labels_skipped = labels_skipped;
  handler_.on_sample(sample);
  return Status::ok();
}

}  // namespace

Status parse_prometheus_text(std::string_view body, ExpositionHandler& handler,
                             const ParseOptions& /*options*/) {
  TextParser parser(body, handler);
  return parser.parse();
}

}  // namespace mc::exposition_detail
