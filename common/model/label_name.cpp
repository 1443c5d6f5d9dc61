#include "common/model/label_name.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace mc {

namespace {

enum NameCharClass : uint8_t {
  kMetricNameStart = 1 << 0,
  kMetricNameRest = 1 << 1,
  kLabelNameStart = 1 << 2,
  kLabelNameRest = 1 << 3,
};

constexpr std::array<uint8_t, 256> kNameCharClasses = [] {
  std::array<uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    uint8_t classes = 0;
    if (letter || c == '_' || c == ':') classes |= kMetricNameStart;
    if (letter || digit || c == '_' || c == ':') classes |= kMetricNameRest;
    if (letter || c == '_') classes |= kLabelNameStart;
    if (letter || digit || c == '_') classes |= kLabelNameRest;
    table[c] = classes;
  }
  return table;
}();

bool matches(std::string_view name, NameCharClass first, NameCharClass rest) {
  if (name.empty()) return false;
  if ((kNameCharClasses[static_cast<unsigned char>(name[0])] & first) == 0) return false;
  return std::ranges::all_of(name.substr(1), [rest](char c) {
    return (kNameCharClasses[static_cast<unsigned char>(c)] & rest) != 0;
  });
}

}  // namespace

bool is_valid_metric_name(std::string_view name) {
  return matches(name, kMetricNameStart, kMetricNameRest);
}

bool is_valid_label_name(std::string_view name) {
  return matches(name, kLabelNameStart, kLabelNameRest);
}

}  // namespace mc
