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
