#include "common/util/byte_size.hpp"

#include <fmt/format.h>
#include <array>
#include <charconv>
#include <utility>

namespace mc {

namespace {

// Base-2 multipliers, as alecthomas/units.Base2Bytes (which Prometheus uses)
// reads both "KB" and "KiB".
constexpr std::array<std::pair<std::string_view, int>, 11> kUnits = {{
    {"B", 0},
    {"KB", 10},
    {"KiB", 10},
    {"MB", 20},
    {"MiB", 20},
    {"GB", 30},
    {"GiB", 30},
    {"TB", 40},
    {"TiB", 40},
    {"PB", 50},
    {"PiB", 50},
}};

}  // namespace

Result<uint64_t> parse_byte_size(std::string_view text) {
  auto invalid = [&](std::string_view why) {
    return Status::error(fmt::format("invalid size {:?}: {}", text, why));
  };
  if (text == "0") return uint64_t{0};
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return invalid("want a whole number and a unit, e.g. 64MB");
  uint64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + digits, number);
  if (error != std::errc() || end != text.data() + digits) return invalid("number out of range");
  std::string_view unit = text.substr(digits);
  for (const auto& [name, shift] : kUnits) {
    if (unit != name) continue;
    if (shift > 0 && number > (UINT64_MAX >> shift)) return invalid("out of range");
    return number << shift;
  }
  return invalid("unknown unit (want B, KB, MB, GB, TB or PB; KiB... also accepted)");
}

std::string format_byte_size(uint64_t bytes) {
  if (bytes == 0) return "0B";
  static constexpr std::array<std::pair<std::string_view, int>, 5> kLargestFirst = {{
      {"PB", 50},
      {"TB", 40},
      {"GB", 30},
      {"MB", 20},
      {"KB", 10},
  }};
  for (const auto& [name, shift] : kLargestFirst) {
    uint64_t unit = uint64_t{1} << shift;
    if (bytes % unit == 0) return fmt::format("{}{}", bytes / unit, name);
  }
  return fmt::format("{}B", bytes);
}

}  // namespace mc
