// HttpResponse: what a route handler answers; the server adds Content-Length,
// compresses and sends it.
//
// `gzip_when_accepted`: the server gzips the body when the request's
// Accept-Encoding allows it (and says Vary: Accept-Encoding unless the
// handler set its own Vary). `after_sent` runs once the answer is on the
// wire, for /-/quit, whose answer must leave before the server stops.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mc {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // beyond Content-Type/-Length
  bool gzip_when_accepted = false;
  std::function<void()> after_sent;

  // A plain-text answer, as the health and error pages are.
  static HttpResponse text(int status, std::string body);
  // The value of a header the handler set, "" when absent (case-insensitive).
  std::string_view header(std::string_view name) const;
};

}  // namespace mc
