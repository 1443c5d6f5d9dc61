// response_header: the exact bytes of a response head, and the keep-alive
// decision civetweb makes for the request.
#include "exporter/response_header.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

namespace mc {
namespace {

TEST_CASE("a response head is one block: status, type, length, headers, date, connection",
          "[exporter][response_header]") {
  const std::vector<std::pair<std::string, std::string>> more = {{"Vary", "Accept-Encoding"},
                                                                 {"WWW-Authenticate", "Basic"}};
  ResponseHeader header;
  header.http_version = "1.1";
  header.status = 401;
  header.reason = "Unauthorized";
  header.content_type = "text/plain; charset=utf-8";
  header.content_length = 13;
  header.headers = &more;
  header.keep_alive = true;
  header.now = 1796590800;  // 2026-12-06 21:00:00 UTC, a Sunday
  std::string out = "kept";
  append_response_header(header, out);
  CHECK(out ==
        "keptHTTP/1.1 401 Unauthorized\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Length: 13\r\n"
        "Vary: Accept-Encoding\r\n"
        "WWW-Authenticate: Basic\r\n"
        "Date: Sun, 06 Dec 2026 21:00:00 GMT\r\n"
        "Connection: keep-alive\r\n\r\n");

  header.http_version = "1.0";
  header.status = 200;
  header.reason = "OK";
  header.content_length.reset();
  header.headers = nullptr;
  header.keep_alive = false;
  header.now = 0;
  out.clear();
  append_response_header(header, out);
  CHECK(out ==
        "HTTP/1.0 200 OK\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Transfer-Encoding: chunked\r\n"
        "Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n"
        "Connection: close\r\n\r\n");
}

TEST_CASE("keep-alive as civetweb decides it: the client's Connection header, else HTTP/1.1",
          "[exporter][response_header]") {
  CHECK(client_keeps_alive("1.1", nullptr));
  CHECK_FALSE(client_keeps_alive("1.0", nullptr));
  CHECK(client_keeps_alive("1.0", "keep-alive"));
  CHECK(client_keeps_alive("1.0", "Keep-Alive"));
  CHECK(client_keeps_alive("1.1", "TE, keep-alive"));
  CHECK_FALSE(client_keeps_alive("1.1", "close"));
  CHECK_FALSE(client_keeps_alive("1.1", "Upgrade"));
  CHECK_FALSE(client_keeps_alive("1.1", ""));
}

}  // namespace
}  // namespace mc
