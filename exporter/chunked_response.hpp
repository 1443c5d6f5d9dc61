// Sends HttpResponses over a civetweb connection: the head formatted here
// (response_header.hpp) and written with the body or first chunk, and
// bodies streamed (HttpResponse::stream_body).
//
// HTTP/1.1: no Content-Length, "Transfer-Encoding: chunked", one chunk per
// piece the producer hands over, then the last (empty) chunk, so the body is
// never held whole; the header goes out with the first chunk (one write), so
// a producer that throws before its first piece gets a 503 instead. HTTP/1.0 and HEAD: the body is
// gathered first and sent with a Content-Length, as 1.0 has no chunks and HEAD must say the length.
// When a piece cannot be sent (client gone) the producer is told to stop and
// the connection is not kept alive; the same when the producer throws after
// the header went out (the client then sees a body without its last chunk,
// never a complete-looking wrong page).
//
// Thread-safety: one call per connection, on its worker thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "exporter/http_response.hpp"

struct mg_connection;

namespace mc {

// Appends the status line and headers of `response` (exporter/response_header.hpp)
// for this connection's request to `out`: its HTTP version, and Connection as
// civetweb will treat the connection (told to close when the client does not
// keep it alive). `content_length` none: chunked.
void append_response_head(mg_connection* connection, const HttpResponse& response,
                          std::optional<size_t> content_length, std::string& out);

// Sends `response`'s head with Content-Length and `body` (not for HEAD),
// in one write when the body is small.
void send_sized_response(mg_connection* connection, const HttpResponse& response,
                         std::string_view body, bool head_only);

// Sends the status line, Content-Type, response.headers and the body.
// REQUIRES: response.stream_body is set.
void send_chunked_response(mg_connection* connection, const HttpResponse& response, bool head_only);

}  // namespace mc
