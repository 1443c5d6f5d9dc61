#include "common/exposition/parse_label_buffer.hpp"

#include <algorithm>

#include "common/exposition/parse_chars.hpp"

namespace mc::exposition_detail {

void LabelBuffer::add(std::string_view name, std::string_view written_value, bool has_escape) {
  if (!has_escape) {
    labels_.push_back(LabelView{name, written_value});
    return;
  }
  const auto offset = static_cast<uint32_t>(scratch_.size());
  append_unescaped_label_value(scratch_, written_value);
  escaped_values_.push_back(EscapedValue{static_cast<uint32_t>(labels_.size()), offset,
                                         static_cast<uint32_t>(scratch_.size() - offset)});
  labels_.push_back(LabelView{name, {}});
}

std::span<const LabelView> LabelBuffer::finish() {
  for (const EscapedValue& escaped : escaped_values_) {
    labels_[escaped.label_index].value =
        std::string_view(scratch_.data() + escaped.offset, escaped.length);
  }
  return labels_;
}

std::string_view LabelBuffer::find_duplicate_name() {
  const size_t count = labels_.size();
  if (count <= 16) {
    for (size_t i = 1; i < count; ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (labels_[i].name == labels_[j].name) return labels_[i].name;
      }
    }
    return {};
  }
  sorted_names_.clear();
  for (const LabelView& label : labels_) sorted_names_.push_back(label.name);
  std::sort(sorted_names_.begin(), sorted_names_.end());
  const auto duplicate = std::adjacent_find(sorted_names_.begin(), sorted_names_.end());
  return duplicate == sorted_names_.end() ? std::string_view() : *duplicate;
}

void append_unescaped_label_value(std::string& out, std::string_view written_value) {
  for (size_t i = 0; i < written_value.size(); ++i) {
    const char c = written_value[i];
    if (c != '\\' || i + 1 == written_value.size()) {
      out += c;
      continue;
    }
    const char escaped = written_value[++i];
    switch (escaped) {
      case '\\':
        out += '\\';
        break;
      case '"':
        out += '"';
        break;
      case 'n':
        out += '\n';
        break;
      default:
        out += '\\';
        out += escaped;
    }
  }
}

LabelValueScan scan_label_value(const char*& position, const char* end, bool allow_line_breaks) {
  LabelValueScan scan;
  const char* start = position;
  const char* p = position;
  bool has_non_ascii = false;
  for (;;) {
    while (p < end && !has_class(*p, kLabelValueStopChar)) ++p;
    if (p == end) {
      scan.outcome = LabelValueScan::Outcome::unterminated;
      return scan;
    }
    const char c = *p;
    if (c == '"') break;
    if (c == '\\') {
      scan.has_escape = true;
      if (p + 1 == end) {
        scan.outcome = LabelValueScan::Outcome::unterminated;
        return scan;
      }
      const char escaped = p[1];
      if (escaped == '\n') {
        if (!allow_line_breaks) {
          scan.outcome = LabelValueScan::Outcome::line_break;
          return scan;
        }
        ++scan.line_breaks;
      } else if (static_cast<unsigned char>(escaped) >= 0x80) {
        has_non_ascii = true;
      }
      p += 2;
      continue;
    }
    if (c == '\n') {
      if (!allow_line_breaks) {
        scan.outcome = LabelValueScan::Outcome::line_break;
        return scan;
      }
      ++scan.line_breaks;
    } else {
      has_non_ascii = true;
    }
    ++p;
  }
  scan.written_value = std::string_view(start, static_cast<size_t>(p - start));
  if (has_non_ascii && !is_valid_utf8(scan.written_value)) {
    scan.outcome = LabelValueScan::Outcome::invalid_utf8;
    return scan;
  }
  position = p + 1;
  return scan;
}

}  // namespace mc::exposition_detail
