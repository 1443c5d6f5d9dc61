// response_header: a response's status line and headers as one block, so
// that they leave in one write (with the body, when it is small).
//
// civetweb 1.15's mg_response_header_send writes each header line with a
// write of its own. With TCP_NODELAY (which kept-alive scrapes need, see
// http_server.cpp) each line is a TCP segment: seven for a small API answer,
// and on loopback the kernel's work for them was a third of a 1-hour query's
// CPU in the daemon (bench/query/README.md). The Date header is formatted
// here with gmtime_r: civetweb's used gmtime()'s shared buffer, which made
// every response header take a process-wide lock.
//
// Thread-safety: pure functions.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mc {

// Whether the connection stays open after the response, as civetweb decides
// for a server with keep-alive enabled: the client's Connection header when
// it sends one (kept alive when it lists "keep-alive"), else HTTP/1.1 keeps
// alive and 1.0 does not. `connection` is the request's Connection header or
// null.
bool client_keeps_alive(std::string_view http_version, const char* connection);

struct ResponseHeader {
  std::string_view http_version;  // the request's: "1.1", "1.0"
  int status = 200;
  std::string_view reason;  // "OK"
  std::string_view content_type;
  std::optional<size_t> content_length;  // none: Transfer-Encoding: chunked
  const std::vector<std::pair<std::string, std::string>>* headers = nullptr;  // more, may be null
  bool keep_alive = true;
  std::time_t now = 0;  // for Date
};

// Appends the status line, Content-Type, Content-Length or
// Transfer-Encoding, the further headers, Date, Connection and the blank
// line to `out`.
void append_response_header(const ResponseHeader& header, std::string& out);

}  // namespace mc
