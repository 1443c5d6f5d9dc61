// LabelBuffer: the labels of the line being parsed, as views the handler reads.
//
// Private to common/exposition. Values without escapes are views into the body;
// escaped values are unescaped into a scratch string owned here. Because that
// string may reallocate while a line is read, an escaped label first records
// an offset, and views are made by finish() once the line is complete. All
// vectors keep their capacity across lines, so a steady-state line allocates
// nothing.
//
// Also here: scanning a quoted label value, which both formats share.
//
// Thread-safety: none; one buffer per parse.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/exposition/parser.hpp"

namespace mc::exposition_detail {

class LabelBuffer {
 public:
  void clear() {
    labels_.clear();
    escaped_values_.clear();
    scratch_.clear();
  }
  bool empty() const { return labels_.empty(); }
  size_t size() const { return labels_.size(); }

  // `written_value` is the text between the quotes, escapes as written.
  void add(std::string_view name, std::string_view written_value, bool has_escape);

  // Makes the views of escaped values; call after the line's last add().
  std::span<const LabelView> finish();
  std::span<const LabelView> labels() const { return labels_; }

  // A label name that occurs twice, or empty when all are distinct.
  std::string_view find_duplicate_name();

 private:
  struct EscapedValue {
    uint32_t label_index;
    uint32_t offset;
    uint32_t length;
  };

  std::vector<LabelView> labels_;
  std::vector<EscapedValue> escaped_values_;
  std::string scratch_;
  std::vector<std::string_view> sorted_names_;
};

// Unescapes \\, \" and \n; any other backslash pair is kept as written, as both
// Prometheus (lvalReplacer) and the OpenMetrics reference parser do.
void append_unescaped_label_value(std::string& out, std::string_view written_value);

struct LabelValueScan {
  enum class Outcome { ok, unterminated, line_break, invalid_utf8 };
  Outcome outcome = Outcome::ok;
  std::string_view written_value;  // between the quotes
  bool has_escape = false;
  uint32_t line_breaks = 0;  // raw line breaks inside the value (text 0.0.4 only)
};

// `position` points just after the opening quote; on success it is left just
// after the closing quote. Text 0.0.4 lets a value span lines (Prometheus's
// lexer takes any byte but an unescaped quote); OpenMetrics does not.
LabelValueScan scan_label_value(const char*& position, const char* end, bool allow_line_breaks);

}  // namespace mc::exposition_detail
