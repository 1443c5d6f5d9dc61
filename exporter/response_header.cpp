#include "exporter/response_header.hpp"

#include <charconv>
#include <cstdio>

#include "common/util/http_header.hpp"

namespace mc {

namespace {

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
  if (connection == nullptr) return http_version == "1.1";
  // Its options, lowercased; "keep-alive" among them keeps the connection.
  for (const HeaderElement& option : parse_header_list(connection)) {
    if (option.value == "keep-alive") return true;
  }
  return false;
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
