#include "common/config/proxy_url.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace mc {

namespace {

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// Go's url.unescape check: every '%' starts a two-digit hex escape.
std::string bad_escape(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') continue;
    if (i + 2 >= text.size() || !is_hex(text[i + 1]) || !is_hex(text[i + 2])) {
      std::string_view escape = text.substr(i, 3);
      return fmt::format("invalid URL escape {:?}", escape);
    }
    i += 2;
  }
  return "";
}

}  // namespace

std::string redact_url_password(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const size_t authority = scheme_end + 3;
  const size_t authority_end = std::min(url.find_first_of("/?#", authority), url.size());
  const size_t at = url.substr(0, authority_end).rfind('@');
  if (at == std::string_view::npos || at < authority) return std::string(url);
  const size_t colon = url.substr(0, at).find(':', authority);
  if (colon == std::string_view::npos) return std::string(url);
  return fmt::format("{}xxxxx{}", url.substr(0, colon + 1), url.substr(at));
}

std::string go_url_parse_problem(std::string_view text) {
  const std::string shown = redact_url_password(text);
  auto problem = [&](std::string_view why) { return fmt::format("parse {:?}: {}", shown, why); };
  if (std::ranges::any_of(
          text, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return problem("net/url: invalid control character in URL");
  }
  // getScheme: letters, then letters, digits, '+', '-' or '.', up to ':'.
  std::string_view rest = text;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (std::isalpha(static_cast<unsigned char>(c))) continue;
    if ((std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.') &&
        i > 0) {
      continue;
    }
    if (c == ':') {
      if (i == 0) return problem("missing protocol scheme");
      rest = text.substr(i + 1);
    }
    break;  // any other character: no scheme, a relative reference
  }
  if (rest.starts_with("//")) {
    rest.remove_prefix(2);
    std::string_view authority = rest.substr(0, std::min(rest.find('/'), rest.size()));
    if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
      authority.remove_prefix(at + 1);
    }
    std::string_view host = authority;
    if (host.starts_with('[')) {
      const size_t close = host.find(']');
      if (close == std::string_view::npos) return problem("missing ']' in host");
      host.remove_prefix(close + 1);
      if (!host.empty() && host.front() != ':') {
        return problem(fmt::format("invalid port {:?} after host", host));
      }
    }
    if (size_t colon = host.rfind(':'); colon != std::string_view::npos) {
      std::string_view port = host.substr(colon);
      if (!std::all_of(port.begin() + 1, port.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        return problem(fmt::format("invalid port {:?} after host", port));
      }
    }
    if (auto escape = bad_escape(authority); !escape.empty()) return problem(escape);
    for (char c : authority) {
      if (c == ' ' || c == '"' || c == '<' || c == '>' || c == '`' || c == '{' || c == '}' ||
          c == '|' || c == '\\' || c == '^') {
        return problem(fmt::format("invalid character {:?} in host name", std::string(1, c)));
      }
    }
  }
  if (auto escape = bad_escape(rest); !escape.empty()) return problem(escape);
  return "";
}

}  // namespace mc
