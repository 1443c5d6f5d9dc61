// HttpResponse: what a route handler answers; the server adds Content-Length,
// compresses and sends it.
//
// `stream_body`, when set, replaces `body`: the server calls it with a sink
// and sends each piece as it comes (chunked transfer encoding on HTTP/1.1),
// so a large page is never held whole. The sink answers false once the
// client is gone; the producer should then stop.
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

// Receives a body piece by piece; false when the piece could not be sent.
using BodySink = std::function<bool(std::string_view piece)>;
using BodyProducer = std::function<void(const BodySink& sink)>;

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  BodyProducer stream_body;                                  // when set, the body (see the top)
  std::vector<std::pair<std::string, std::string>> headers;  // beyond Content-Type/-Length
  bool gzip_when_accepted = false;
  std::function<void()> after_sent;

  // A plain-text answer, as the health and error pages are.
  static HttpResponse text(int status, std::string body);
  // The value of a header the handler set, "" when absent (case-insensitive).
  std::string_view header(std::string_view name) const;
  // The whole body: `body`, or everything `stream_body` produces.
  std::string materialized_body() const;
};

}  // namespace mc
