#include "common/config/config_rules.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include <fmt/format.h>

namespace mc {

namespace {

bool is_decimal_port(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  return std::stoi(std::string(port)) <= 65535;
}

}  // namespace

bool is_valid_label_name(std::string_view name) {
  if (name.empty()) return false;
  auto is_letter = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  if (!is_letter(name.front())) return false;
  return std::all_of(name.begin() + 1, name.end(),
                     [&](char c) { return is_letter(c) || (c >= '0' && c <= '9'); });
}

bool is_valid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    uint32_t code_point;
    if ((byte & 0xE0) == 0xC0) {
      length = 2;
      code_point = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      code_point = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      code_point = byte & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      auto continuation = static_cast<unsigned char>(text[i + k]);
      if ((continuation & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (continuation & 0x3F);
    }
    constexpr uint32_t kSmallestOfLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kSmallestOfLength[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

std::optional<std::string> target_address_problem(std::string_view target) {
  if (target.empty()) return "a target must not be empty";
  if (target.find('/') != std::string_view::npos) {
    return fmt::format("{:?} is not a valid target: want host:port, without scheme or path",
                       target);
  }
  for (unsigned char c : target) {
    if (c <= ' ' || c == 0x7f) {
      return fmt::format("{:?} is not a valid target: blank or control character", target);
    }
  }
  std::string_view port;
  bool has_port = false;
  if (target.front() == '[') {  // [IPv6]:port or [IPv6]
    size_t close = target.find(']');
    if (close == std::string_view::npos) {
      return fmt::format("{:?} is not a valid target: missing ']' after IPv6 address", target);
    }
    std::string_view after = target.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return fmt::format("{:?} is not a valid target: want [host]:port", target);
      }
      has_port = true;
      port = after.substr(1);
    }
  } else {
    size_t colon = target.find(':');
    // More than one colon is a bare IPv6 address; the scrape adds brackets and the default port.
    if (colon != std::string_view::npos && target.find(':', colon + 1) == std::string_view::npos) {
      has_port = true;
      port = target.substr(colon + 1);
      if (colon == 0) return fmt::format("{:?} is not a valid target: missing host", target);
    }
  }
  if (has_port && !is_decimal_port(port)) {
    return fmt::format("{:?} is not a valid target: port {:?} is not a number from 0 to 65535",
                       target, port);
  }
  return std::nullopt;
}

}  // namespace mc
