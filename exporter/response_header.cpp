#include "exporter/response_header.hpp"

#include <charconv>
#include <cstdio>

namespace mc {

namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    const char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

void append_number(std::string& out, size_t value) {
  char digits[24];
  const auto converted = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, converted.ptr);
}

// RFC 7231's IMF-fixdate, without strftime's locale.
void append_http_date(std::string& out, std::time_t now) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char text[40];
  const int length = std::snprintf(text, sizeof(text), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                                   kDays[utc.tm_wday % 7], utc.tm_mday, kMonths[utc.tm_mon % 12],
                                   utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
  if (length > 0) out.append(text, static_cast<size_t>(length));
}

}  // namespace

bool client_keeps_alive(std::string_view http_version, const char* connection) {
  if (connection != nullptr) {
    std::string_view options(connection);
    while (!options.empty()) {
      const size_t comma = options.find(',');
      if (equal_ignoring_case(trimmed(options.substr(0, comma)), "keep-alive")) return true;
      if (comma == std::string_view::npos) break;
      options.remove_prefix(comma + 1);
    }
    return false;
  }
  return http_version == "1.1";
}

void append_response_header(const ResponseHeader& header, std::string& out) {
  out += "HTTP/";
  out += header.http_version.empty() ? std::string_view("1.1") : header.http_version;
  out += ' ';
  append_number(out, static_cast<size_t>(header.status));
  out += ' ';
  out += header.reason;
  out += "\r\nContent-Type: ";
  out += header.content_type;
  if (header.content_length) {
    out += "\r\nContent-Length: ";
    append_number(out, *header.content_length);
  } else {
    out += "\r\nTransfer-Encoding: chunked";
  }
  if (header.headers != nullptr) {
    for (const auto& [name, value] : *header.headers) {
      out += "\r\n";
      out += name;
      out += ": ";
      out += value;
    }
  }
  out += "\r\nDate: ";
  append_http_date(out, header.now);
  out += header.keep_alive ? "\r\nConnection: keep-alive\r\n\r\n" : "\r\nConnection: close\r\n\r\n";
}

}  // namespace mc
