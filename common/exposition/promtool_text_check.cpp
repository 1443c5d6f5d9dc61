#include "common/exposition/promtool_text_check.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/exposition/parse_chars.hpp"
#include "common/exposition/parse_number.hpp"

namespace mc {
namespace {

using exposition_detail::has_class;
using exposition_detail::kLabelNameChar;
using exposition_detail::kLabelNameStartChar;
using exposition_detail::kMetricNameChar;
using exposition_detail::kMetricNameStartChar;
using exposition_detail::parse_sample_value;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// The types dto.MetricType_value knows (upper-cased by the parser).
// gauge_histogram is one of them: a TYPE line may name it, and a sample of
// such a family is read without complaint (the parser's "unexpected type"
// error is overwritten by its next read).
enum class Type : uint8_t { untyped, counter, gauge, summary, histogram, gauge_histogram };

std::optional<Type> parse_type(std::string_view word) {
  std::string upper(word);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  if (upper == "UNTYPED") return Type::untyped;
  if (upper == "COUNTER") return Type::counter;
  if (upper == "GAUGE") return Type::gauge;
  if (upper == "SUMMARY") return Type::summary;
  if (upper == "HISTOGRAM") return Type::histogram;
  if (upper == "GAUGE_HISTOGRAM") return Type::gauge_histogram;
  return std::nullopt;
}

// Go's strconv.ParseInt(s, 10, 64): an optional sign, then decimal digits.
bool is_go_int64(std::string_view text) {
  size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) i = 1;
  if (i == text.size()) return false;
  uint64_t magnitude = 0;
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    const auto digit = static_cast<uint64_t>(text[i] - '0');
    if (magnitude > (limit - digit) / 10) return false;
    magnitude = magnitude * 10 + digit;
  }
  return true;
}

std::string_view suffix_stripped(std::string_view name, std::string_view suffix) {
  if (name.size() > suffix.size() && name.ends_with(suffix)) {
    return name.substr(0, name.size() - suffix.size());
  }
  return {};
}

// One state of expfmt's state machine per member function, each returning the
// next. Names follow text_parse.go so the two can be read side by side.
class PromtoolTextCheck {
 public:
  explicit PromtoolTextCheck(std::string_view body) : body_(body) {}

  Status run() {
    State state = State::start_of_line;
    while (state != State::done && state != State::failed) state = step(state);
    if (state == State::done) return Status::ok();
    return Status::error(fmt::format("line {}:{}: {}", line_, column_, message_));
  }

 private:
  enum class State : uint8_t {
    start_of_line,
    start_comment,
    reading_metric_name,
    reading_labels,
    start_label_name,
    start_label_value,
    reading_value,
    start_timestamp,
    reading_help,
    reading_type,
    done,
    failed,
  };

  struct Family {
    std::optional<Type> type;
    bool has_help = false;
  };

  State step(State state) {
    switch (state) {
      case State::start_of_line:
        return start_of_line();
      case State::start_comment:
        return start_comment();
      case State::reading_metric_name:
        return reading_metric_name();
      case State::reading_labels:
        return reading_labels();
      case State::start_label_name:
        return start_label_name();
      case State::start_label_value:
        return start_label_value();
      case State::reading_value:
        return reading_value();
      case State::start_timestamp:
        return start_timestamp();
      case State::reading_help:
        return reading_help();
      case State::reading_type:
        return reading_type();
      case State::done:
      case State::failed:
        break;
    }
    return state;
  }

  // bufio.Reader.ReadByte: false at the end of the body, which is an error
  // everywhere but at the start of a line.
  bool read_byte() {
    if (pos_ >= body_.size()) {
      at_end_ = true;
      return false;
    }
    current_ = body_[pos_++];
    return true;
  }
  bool skip_blank_tab() {
    for (;;) {
      if (!read_byte()) return false;
      if (!is_blank(current_)) return true;
    }
  }
  bool skip_blank_tab_if_current_blank_tab() { return !is_blank(current_) || skip_blank_tab(); }

  State fail(std::string message) {
    message_ = std::move(message);
    // The column of the byte the parser stopped on (one past the end at the end).
    column_ = pos_ - line_start_ + (at_end_ ? 1 : 0);
    return State::failed;
  }
  State unexpected_end() { return fail("unexpected end of input stream"); }

  bool read_token_until_whitespace() {
    token_.clear();
    while (!is_blank(current_) && current_ != '\n') {
      token_ += current_;
      if (!read_byte()) return false;
    }
    return true;
  }
  // With escapes (HELP text): only \\ and \n. Without (TYPE, after a
  // timestamp) a backslash is still dropped, as expfmt drops it.
  bool read_token_until_newline(bool recognize_escapes, bool& bad_escape) {
    token_.clear();
    bool escaped = false;
    for (;;) {
      if (recognize_escapes && escaped) {
        if (current_ == '\\') {
          token_ += '\\';
        } else if (current_ == 'n') {
          token_ += '\n';
        } else {
          bad_escape = true;
          return true;
        }
        escaped = false;
      } else if (current_ == '\n') {
        return true;
      } else if (current_ == '\\') {
        escaped = recognize_escapes;
      } else {
        token_ += current_;
      }
      if (!read_byte()) return false;
    }
  }
  bool read_token_as_name(uint8_t start_class, uint8_t continue_class) {
    token_.clear();
    if (!has_class(current_, static_cast<exposition_detail::CharClass>(start_class))) return true;
    for (;;) {
      token_ += current_;
      if (!read_byte()) return false;
      if (!has_class(current_, static_cast<exposition_detail::CharClass>(continue_class))) {
        return true;
      }
    }
  }
  bool read_token_as_metric_name() {
    return read_token_as_name(kMetricNameStartChar, kMetricNameChar);
  }
  bool read_token_as_label_name() {
    return read_token_as_name(kLabelNameStartChar, kLabelNameChar);
  }

  void set_or_create_current_family() {
    const std::string& name = token_;
    if (auto it = families_.find(name); it != families_.end()) {
      current_family_ = &it->second;
      current_family_name_ = name;
      return;
    }
    // A _sum or _count (or _bucket) of a summary (histogram) declared before.
    for (std::string_view suffix : {"_count", "_sum", "_bucket"}) {
      const std::string_view base = suffix_stripped(name, suffix);
      if (base.empty()) continue;
      auto it = families_.find(std::string(base));
      if (it == families_.end()) continue;
      const bool summary = it->second.type == Type::summary && suffix != "_bucket";
      if (summary || it->second.type == Type::histogram) {
        current_family_ = &it->second;
        current_family_name_ = std::string(base);
        return;
      }
    }
    current_family_ = &families_[name];
    current_family_name_ = name;
  }
  Type current_type() const { return current_family_->type.value_or(Type::untyped); }

  State start_of_line() {
    ++line_;
    line_start_ = pos_;
    if (!skip_blank_tab()) return State::done;  // the one clean end
    if (current_ == '#') return State::start_comment;
    if (current_ == '\n') return State::start_of_line;
    return State::reading_metric_name;
  }

  State start_comment() {
    if (!skip_blank_tab()) return unexpected_end();
    if (current_ == '\n') return State::start_of_line;
    if (!read_token_until_whitespace()) return unexpected_end();
    if (current_ == '\n') return State::start_of_line;
    const std::string keyword = token_;
    if (keyword != "HELP" && keyword != "TYPE") {
      while (current_ != '\n') {
        if (!read_byte()) return unexpected_end();
      }
      return State::start_of_line;
    }
    if (!skip_blank_tab()) return unexpected_end();
    if (!read_token_as_metric_name()) return unexpected_end();
    if (current_ == '\n') return State::start_of_line;
    if (!is_blank(current_)) return fail("invalid metric name in comment");
    set_or_create_current_family();
    if (!skip_blank_tab()) return unexpected_end();
    if (current_ == '\n') return State::start_of_line;
    return keyword == "HELP" ? State::reading_help : State::reading_type;
  }

  State reading_metric_name() {
    if (!read_token_as_metric_name()) return unexpected_end();
    if (token_.empty()) return fail("invalid metric name");
    set_or_create_current_family();
    if (!current_family_->type) current_family_->type = Type::untyped;
    labels_.clear();
    if (!skip_blank_tab_if_current_blank_tab()) return unexpected_end();
    return State::reading_labels;
  }

  State reading_labels() {
    if (current_ != '{') return State::reading_value;
    return State::start_label_name;
  }

  // le of a histogram and quantile of a summary are not labels to expfmt: they
  // escape the duplicate check.
  bool is_special_label(std::string_view name) const {
    return (current_type() == Type::summary && name == "quantile") ||
           (current_type() == Type::histogram && name == "le");
  }

  State start_label_name() {
    if (!skip_blank_tab()) return unexpected_end();
    if (current_ == '}') {
      if (!skip_blank_tab()) return unexpected_end();
      return State::reading_value;
    }
    if (!read_token_as_label_name()) return unexpected_end();
    if (token_.empty()) {
      return fail(fmt::format("invalid label name for metric \"{}\"", current_family_name_));
    }
    label_name_ = token_;
    if (label_name_ == "__name__") return fail("label name \"__name__\" is reserved");
    const bool special = is_special_label(label_name_);
    if (!skip_blank_tab_if_current_blank_tab()) return unexpected_end();
    if (current_ != '=') {
      return fail(fmt::format("expected '=' after label name, found '{}'", current_));
    }
    if (!special) {
      for (const std::string& seen : labels_) {
        if (seen == label_name_) {
          return fail(fmt::format("duplicate label names for metric \"{}\"", current_family_name_));
        }
      }
      labels_.push_back(label_name_);
    }
    return State::start_label_value;
  }

  State start_label_value() {
    if (!skip_blank_tab()) return unexpected_end();
    if (current_ != '"') {
      return fail(fmt::format("expected '\"' at start of label value, found '{}'", current_));
    }
    // readTokenAsLabelValue: escapes \" \\ \n; no raw line break.
    token_.clear();
    bool escaped = false;
    for (;;) {
      if (!read_byte()) return unexpected_end();
      if (escaped) {
        if (current_ == '"' || current_ == '\\') {
          token_ += current_;
        } else if (current_ == 'n') {
          token_ += '\n';
        } else {
          return fail(fmt::format("invalid escape sequence '\\{}'", current_));
        }
        escaped = false;
        continue;
      }
      if (current_ == '"') break;
      if (current_ == '\n') {
        return fail(fmt::format("label value {} contains unescaped new-line",
                                exposition_detail::quote_for_message(token_)));
      }
      if (current_ == '\\') {
        escaped = true;
      } else {
        token_ += current_;
      }
    }
    if (!is_valid_utf8(token_)) {
      return fail(
          fmt::format("invalid label value {}", exposition_detail::quote_for_message(token_)));
    }
    if (current_type() == Type::summary && label_name_ == "quantile" &&
        !parse_sample_value(token_)) {
      return fail(fmt::format("expected float as value for 'quantile' label, got {}",
                              exposition_detail::quote_for_message(token_)));
    }
    if (current_type() == Type::histogram && label_name_ == "le" && !parse_sample_value(token_)) {
      return fail(fmt::format("expected float as value for 'le' label, got {}",
                              exposition_detail::quote_for_message(token_)));
    }
    if (!skip_blank_tab()) return unexpected_end();
    if (current_ == ',') return State::start_label_name;
    if (current_ == '}') {
      if (!skip_blank_tab()) return unexpected_end();
      return State::reading_value;
    }
    return fail(fmt::format("unexpected end of label value {}",
                            exposition_detail::quote_for_message(token_)));
  }

  State reading_value() {
    if (!read_token_until_whitespace()) return unexpected_end();
    if (!parse_sample_value(token_)) {
      return fail(fmt::format("expected float as value, got {}",
                              exposition_detail::quote_for_message(token_)));
    }
    if (current_ == '\n') return State::start_of_line;
    return State::start_timestamp;
  }

  State start_timestamp() {
    if (!skip_blank_tab()) return unexpected_end();
    if (!read_token_until_whitespace()) return unexpected_end();
    if (!is_go_int64(token_)) {
      return fail(fmt::format("expected integer as timestamp, got {}",
                              exposition_detail::quote_for_message(token_)));
    }
    bool unused = false;
    if (!read_token_until_newline(false, unused)) return unexpected_end();
    if (!token_.empty()) {
      return fail(fmt::format("spurious string after timestamp: {}",
                              exposition_detail::quote_for_message(token_)));
    }
    return State::start_of_line;
  }

  State reading_help() {
    if (current_family_->has_help) {
      return fail(fmt::format("second HELP line for metric name \"{}\"", current_family_name_));
    }
    bool bad_escape = false;
    if (!read_token_until_newline(true, bad_escape)) return unexpected_end();
    if (bad_escape) return fail(fmt::format("invalid escape sequence '\\{}'", current_));
    current_family_->has_help = true;
    return State::start_of_line;
  }

  State reading_type() {
    if (current_family_->type) {
      return fail(
          fmt::format("second TYPE line for metric name \"{}\", or TYPE reported after samples",
                      current_family_name_));
    }
    bool unused = false;
    if (!read_token_until_newline(false, unused)) return unexpected_end();
    const auto type = parse_type(token_);
    if (!type) {
      return fail(
          fmt::format("unknown metric type {}", exposition_detail::quote_for_message(token_)));
    }
    current_family_->type = *type;
    return State::start_of_line;
  }

  std::string_view body_;
  size_t pos_ = 0;  // the next byte to read
  char current_ = 0;
  bool at_end_ = false;
  size_t line_ = 0;
  size_t line_start_ = 0;
  size_t column_ = 0;
  std::string message_;
  std::string token_;
  std::string label_name_;
  std::vector<std::string> labels_;  // names read so far on this sample line
  // Node-based: current_family_ stays valid while families are added.
  std::unordered_map<std::string, Family> families_;
  Family* current_family_ = nullptr;
  std::string current_family_name_;
};

}  // namespace

Status check_text_as_promtool(std::string_view body) {
  PromtoolTextCheck check(body);
  return check.run();
}

}  // namespace mc
