#include "collector/sql/connection_options_check.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

#include <fmt/format.h>

namespace mc {

namespace {

// libpq's parse_int_param: an integer, blanks allowed around it.
bool parses_as_int(std::string_view text, long& value) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

std::vector<std::string_view> split_commas(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    parts.push_back(text.substr(start, comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return parts;
}

bool is_numeric_address(std::string_view text) {
  std::string address(text);
  unsigned char buffer[16];
  return inet_pton(AF_INET, address.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, address.c_str(), buffer) == 1;
}

struct Choice {
  std::string_view option;
  std::vector<std::string_view> values;
};

// libpq 15's accepted values (fe-connect.c, connectOptions2).
const std::array<Choice, 6>& choices() {
  static const std::array<Choice, 6> kChoices = {{
      {"sslmode", {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}},
      {"gssencmode", {"disable", "prefer", "require"}},
      {"channel_binding", {"disable", "prefer", "require"}},
      {"target_session_attrs",
       {"any", "read-write", "read-only", "primary", "standby", "prefer-standby"}},
      {"ssl_min_protocol_version", {"", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}},
      {"ssl_max_protocol_version", {"", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}},
  }};
  return kChoices;
}

constexpr std::array<std::string_view, 6> kIntegerOptions = {
    "connect_timeout",     "keepalives",       "keepalives_idle",
    "keepalives_interval", "keepalives_count", "tcp_user_timeout"};

}  // namespace

Status check_connection_options(const std::vector<std::pair<std::string, std::string>>& options) {
  size_t host_count = 0;  // 0: no host option
  size_t hostaddr_count = 0;
  size_t port_count = 0;
  for (const auto& [key, value] : options) {
    if (key == "host") host_count = split_commas(value).size();
  }
  for (const auto& [key, value] : options) {
    if (key == "port") {
      auto ports = split_commas(value);
      port_count = ports.size();
      for (std::string_view port : ports) {
        if (port.empty()) continue;  // libpq's default port for that host
        long number = 0;
        if (!parses_as_int(port, number) || number < 1 || number > 65535) {
          return Status::error(
              fmt::format("port {:?} is not a port number (an integer from 1 to 65535)", port));
        }
      }
    } else if (key == "hostaddr") {
      auto addresses = split_commas(value);
      hostaddr_count = addresses.size();
      for (std::string_view address : addresses) {
        if (!address.empty() && !is_numeric_address(address)) {
          return Status::error(fmt::format(
              "hostaddr {:?} is not a numeric IPv4 or IPv6 address (host names go in host)",
              address));
        }
      }
    } else if (std::find(kIntegerOptions.begin(), kIntegerOptions.end(), key) !=
               kIntegerOptions.end()) {
      long number = 0;
      if (!value.empty() && !parses_as_int(value, number)) {
        return Status::error(fmt::format("{} {:?} is not an integer", key, value));
      }
    } else {
      for (const Choice& choice : choices()) {
        if (choice.option != key) continue;
        if (std::find(choice.values.begin(), choice.values.end(), value) == choice.values.end()) {
          std::string allowed;
          for (std::string_view allowed_value : choice.values) {
            if (allowed_value.empty()) continue;
            if (!allowed.empty()) allowed += ", ";
            allowed += allowed_value;
          }
          return Status::error(fmt::format("{} {:?} is not one of {}", key, value, allowed));
        }
      }
    }
  }
  // libpq takes the host list's length from hostaddr when both are given.
  size_t hosts = std::max<size_t>({1, host_count, hostaddr_count});
  if (hostaddr_count > 0 && host_count > 0 && host_count != hostaddr_count) {
    return Status::error(
        fmt::format("{} host names for {} hostaddr addresses (the lists must match)", host_count,
                    hostaddr_count));
  }
  if (port_count > 1 && port_count != hosts) {
    return Status::error(fmt::format(
        "{} ports for {} hosts (give one port for all, or one per host)", port_count, hosts));
  }
  return Status::ok();
}

}  // namespace mc
