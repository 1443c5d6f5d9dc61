#include "collector/scrape/scrape_error_text.hpp"

#include <charconv>

#include <fmt/format.h>

#include "collector/http_client/http_status_text.hpp"

namespace mc {

namespace {

// "127.0.0.1:9100" of "http://127.0.0.1:9100/metrics?x=1".
std::string_view host_port(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return url;
  std::string_view rest = url.substr(scheme_end + 3);
  return rest.substr(0, rest.find_first_of("/?"));
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace

std::string scrape_error_text(std::string_view url, std::string_view failure_reason,
                              std::string_view error) {
  if (error.empty()) return "";
  if (failure_reason == "connection" &&
      (contains(error, "Connection refused") || contains(error, "Couldn't connect to server"))) {
    return fmt::format("Get \"{}\": dial tcp {}: connect: connection refused", url, host_port(url));
  }
  if (failure_reason == "timeout") {
    return fmt::format("Get \"{}\": context deadline exceeded", url);
  }
  constexpr std::string_view kStatusPrefix = "server returned HTTP status ";
  if (failure_reason == "http_status" && error.starts_with(kStatusPrefix)) {
    const std::string_view digits = error.substr(kStatusPrefix.size());
    int code = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), code);
    if (ec == std::errc() && end == digits.data() + digits.size()) {
      const std::string_view text = http_status_text(code);
      if (!text.empty()) return fmt::format("{}{} {}", kStatusPrefix, code, text);
    }
  }
  return std::string(error);
}

}  // namespace mc
