// Sends an HttpResponse whose body is streamed (HttpResponse::stream_body)
// over a civetweb connection.
//
// HTTP/1.1: no Content-Length, "Transfer-Encoding: chunked", one chunk per
// piece the producer hands over, then the last (empty) chunk, so the body is
// never held whole. HTTP/1.0 and HEAD: the body is gathered first and sent
// with a Content-Length, as 1.0 has no chunks and HEAD must say the length.
// When a piece cannot be sent (client gone) the producer is told to stop and
// the connection is not kept alive; the same when the producer throws after
// the header went out (the client then sees a body without its last chunk,
// never a complete-looking wrong page).
//
// Thread-safety: one call per connection, on its worker thread.
#pragma once

#include "exporter/http_response.hpp"

struct mg_connection;

namespace mc {

// mg_response_header_send, one call at a time in the process: civetweb 1.15
// formats the Date header with gmtime(), whose result buffer every thread
// shares (ThreadSanitizer reports two concurrent responses). Every response
// header of the server goes through here.
void send_response_header(mg_connection* connection);

// Sends the status line, Content-Type, response.headers and the body.
// REQUIRES: response.stream_body is set.
void send_chunked_response(mg_connection* connection, const HttpResponse& response, bool head_only);

}  // namespace mc
