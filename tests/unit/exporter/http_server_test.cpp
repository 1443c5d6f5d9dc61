// HttpServer over real sockets on 127.0.0.1: routing (exact, prefix, 404,
// 405 with Allow, HEAD), the query string and form body reaching handlers,
// the answers the server gives itself (400, 413, 500), gzip, and routes
// registered on the Exporter from outside.
#include "exporter/http_server.hpp"

#include <catch2/catch.hpp>

#include <prometheus/registry.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/store/head_storage.hpp"
#include "exporter/exporter.hpp"
#include "tests/unit/exporter/http_test_client.hpp"

namespace mc {
namespace {

// Writes what the handler saw, one fact a line, so a test reads it back; a
// malformed parameter is a 400, as the HTTP API will answer it.
HttpResponse echo(const HttpRequest& request) {
  if (!request.params_status)
    return HttpResponse::text(400, request.params_status.message() + "\n");
  std::string body = "method=" + std::string(request.method) + "\n" +
                     "path=" + std::string(request.path) + "\n" +
                     "suffix=" + std::string(request.path_suffix) + "\n";
  for (const auto& [name, value] : request.params.all())
    body += "param " + name + "=" + value + "\n";
  body += "x-test=" + std::string(request.header("x-TEST")) + "\n";
  return HttpResponse::text(200, body);
}

Route echo_route(std::string pattern, bool get, bool post) {
  Route route;
  route.pattern = std::move(pattern);
  if (get) route.get = echo;
  if (post) route.post = echo;
  return route;
}

struct ServerFixture {
  prometheus::Registry registry;
  std::unique_ptr<HttpServer> server;

  explicit ServerFixture(RouteTable routes) {
    HttpServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.worker_threads = 2;
    auto started = HttpServer::start(std::move(options), std::move(routes), registry);
    INFO((started ? "" : started.error()));
    REQUIRE(started.is_ok());
    server = std::move(started).value();
  }

  std::string url(const std::string& path_and_query) const {
    return "http://127.0.0.1:" + std::to_string(server->port()) + path_and_query;
  }
};

RouteTable api_routes() {
  RouteTable routes;
  REQUIRE(routes.add(echo_route("/api/v1/query", true, true)).is_ok());
  REQUIRE(routes.add(echo_route("/api/v1/label/*", true, false)).is_ok());
  REQUIRE(routes.add(echo_route("/-/reload", false, true)).is_ok());
  Route throwing;
  throwing.pattern = "/throws";
  throwing.get = [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("boom"); };
  REQUIRE(routes.add(std::move(throwing)).is_ok());
  Route compressible;
  compressible.pattern = "/big";
  compressible.get = [](const HttpRequest&) {
    HttpResponse response = HttpResponse::text(200, std::string(100000, 'x'));
    response.gzip_when_accepted = true;
    return response;
  };
  REQUIRE(routes.add(std::move(compressible)).is_ok());
  return routes;
}

TEST_CASE("a prefix route answers every path under it, the rest as suffix", "[exporter][http]") {
  ServerFixture fixture(api_routes());
  auto reply = test::http_request(fixture.url("/api/v1/label/job/values"));
  REQUIRE(reply.error.empty());
  CHECK(reply.status == 200);
  CHECK_THAT(reply.body, Catch::Contains("path=/api/v1/label/job/values\nsuffix=job/values\n"));
  // civetweb hands the path percent-decoded.
  auto decoded = test::http_request(fixture.url("/api/v1/label/a%20b/values"));
  CHECK_THAT(decoded.body, Catch::Contains("suffix=a b/values\n"));
  CHECK(test::http_request(fixture.url("/api/v1/label")).status == 404);
  CHECK(test::http_request(fixture.url("/api/v1/query/")).status == 404);
  CHECK(test::http_request(fixture.url("/nothing")).status == 404);
}

TEST_CASE("a method the route lacks is a 405 with Allow", "[exporter][http]") {
  ServerFixture fixture(api_routes());
  struct Case {
    std::string method;
    std::string path;
    std::string allow;
  };
  for (const Case& refused : {
           Case{"PUT", "/api/v1/query", "GET, HEAD, POST"},
           Case{"DELETE", "/api/v1/query", "GET, HEAD, POST"},
           Case{"POST", "/api/v1/label/job/values", "GET, HEAD"},
           Case{"GET", "/-/reload", "POST"},
           Case{"HEAD", "/-/reload", "POST"},
       }) {
    INFO(refused.method << " " << refused.path);
    auto reply = test::http_request(fixture.url(refused.path), refused.method);
    REQUIRE(reply.error.empty());
    CHECK(reply.status == 405);
    CHECK(reply.headers["allow"] == refused.allow);
  }
  // An unknown path stays a 404 whatever the method.
  CHECK(test::http_request(fixture.url("/nothing"), "PUT").status == 404);
}

TEST_CASE("HEAD is GET without the body", "[exporter][http]") {
  ServerFixture fixture(api_routes());
  auto get = test::http_request(fixture.url("/api/v1/label/job/values"));
  auto head = test::http_request(fixture.url("/api/v1/label/job/values"), "HEAD");
  REQUIRE(head.error.empty());
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  // The handler saw HEAD, so its body is one byte longer than GET's.
  CHECK(head.headers["content-length"] == std::to_string(get.body.size() + 1));
}

TEST_CASE("query string and form body reach the handler, repeated keys included",
          "[exporter][http]") {
  ServerFixture fixture(api_routes());
  auto get = test::http_request(
      fixture.url(
          "/api/v1/query?match[]=up&match%5B%5D=node_load1%7Bjob%3D%22node%22%7D&query=a+b"),
      "GET", {"X-Test: seen"});
  REQUIRE(get.status == 200);
  CHECK_THAT(get.body, Catch::Contains("method=GET\n"
                                       "path=/api/v1/query\n"
                                       "suffix=\n"
                                       "param match[]=up\n"
                                       "param match[]=node_load1{job=\"node\"}\n"
                                       "param query=a b\n"
                                       "x-test=seen\n"));

  // A form POST: the body's parameters first, then the query string's (Go's Request.Form).
  auto post = test::http_request(fixture.url("/api/v1/query?time=5&query=from_url"), "POST", {},
                                 "query=rate(x%5B5m%5D)&match[]=a&match[]=b");
  REQUIRE(post.status == 200);
  CHECK_THAT(post.body, Catch::Contains("method=POST\n"
                                        "path=/api/v1/query\n"
                                        "suffix=\n"
                                        "param query=rate(x[5m])\n"
                                        "param match[]=a\n"
                                        "param match[]=b\n"
                                        "param time=5\n"
                                        "param query=from_url\n"));

  // A body that is not a form is left alone: only the query string counts.
  auto json = test::http_request(fixture.url("/api/v1/query?q=1"), "POST",
                                 {"Content-Type: application/json"}, "query=not-a-param");
  REQUIRE(json.status == 200);
  CHECK_THAT(json.body, Catch::Contains("param q=1\n"));
  CHECK_THAT(json.body, !Catch::Contains("not-a-param"));

  // The media type is matched case-insensitively, parameters after ';' ignored.
  auto charset = test::http_request(
      fixture.url("/api/v1/query"), "POST",
      {"Content-Type: Application/X-WWW-Form-Urlencoded; charset=utf-8"}, "query=up");
  CHECK_THAT(charset.body, Catch::Contains("param query=up\n"));
}

TEST_CASE("malformed parameters reach the handler as an error, oversized ones are a 413",
          "[exporter][http]") {
  ServerFixture fixture(api_routes());
  auto bad_query = test::http_request(fixture.url("/api/v1/query?query=up%zz"));
  CHECK(bad_query.status == 400);
  CHECK(bad_query.body ==
        "invalid query string: parameter \"query\": invalid percent-encoding \"%zz\"\n");

  auto bad_body = test::http_request(fixture.url("/api/v1/query"), "POST", {}, "match[]=%4");
  CHECK(bad_body.status == 400);
  CHECK(bad_body.body ==
        "invalid form body: parameter \"match[]\": invalid percent-encoding \"%4\"\n");
  // Both bad: the body's error is the one kept, as Go's ParseForm.
  auto both = test::http_request(fixture.url("/api/v1/query?q=%"), "POST", {}, "match[]=%4");
  CHECK_THAT(both.body, Catch::StartsWith("invalid form body: "));

  const std::string too_big = "query=" + std::string(HttpServer::kMaxFormBytes, 'a');
  auto large = test::http_request(fixture.url("/api/v1/query"), "POST", {}, too_big,
                                  std::chrono::seconds(60));
  REQUIRE(large.error.empty());
  CHECK(large.status == 413);
  CHECK_THAT(large.body, Catch::StartsWith("form body larger than"));

  // Just under the limit is read whole.
  const std::string fits = "q=" + std::string(HttpServer::kMaxFormBytes - 2, 'b');
  // 10 MiB each way through the echo handler: under ThreadSanitizer on a
  // loaded machine that took longer than the client's default 10 s.
  auto under =
      test::http_request(fixture.url("/api/v1/query"), "POST", {}, fits, std::chrono::seconds(60));
  CHECK(under.status == 200);
  CHECK(under.body.size() > HttpServer::kMaxFormBytes);

  // The server keeps serving after each.
  CHECK(test::http_request(fixture.url("/api/v1/query")).status == 200);
}

// A client that sends its whole body at once (Go's, or curl once its wait for
// "100 Continue" is over) is still sending when the 413 goes out. The body is
// far more than the socket buffers hold, so the send ends well only if the
// server reads the rest (civetweb does, after the answer): closing on unread
// bytes would reset the connection, and a reset can reach the client before
// it has read the 413.
TEST_CASE("an oversized form body sent at once is read to its end after the 413",
          "[exporter][http]") {
  ServerFixture fixture(api_routes());
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(fixture.server->port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
  const timeval timeout{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));

  const size_t body_size = HttpServer::kMaxFormBytes + (size_t{16} << 20);
  const std::string head =
      "POST /api/v1/query HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: " +
      std::to_string(body_size) + "\r\n\r\n";
  std::string send_error;
  std::thread sender([&] {
    std::string data = head + "q=" + std::string(body_size - 2, 'a');
    for (size_t sent = 0; sent < data.size();) {
      const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) {
        send_error = std::string("send failed after ") + std::to_string(sent) +
                     " bytes: " + std::strerror(errno);
        return;
      }
      sent += static_cast<size_t>(n);
    }
  });
  std::string answer;
  char buffer[4096];
  while (answer.find("bytes\n") == std::string::npos) {
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<size_t>(n));
  }
  sender.join();
  ::close(fd);
  CHECK_THAT(answer, Catch::StartsWith("HTTP/1.1 413 "));
  CHECK_THAT(answer, Catch::EndsWith("form body larger than 10485760 bytes\n"));
  CHECK(send_error.empty());
  INFO(send_error);
  CHECK(test::http_request(fixture.url("/api/v1/query")).status == 200);
}

TEST_CASE("a handler that throws is a 500, and the server serves on", "[exporter][http]") {
  ServerFixture fixture(api_routes());
  auto reply = test::http_request(fixture.url("/throws"));
  CHECK(reply.status == 500);
  CHECK(reply.body == "500 internal server error\n");
  CHECK(test::http_request(fixture.url("/api/v1/query")).status == 200);
}

TEST_CASE("a response that allows gzip is compressed only for clients that accept it",
          "[exporter][http]") {
  ServerFixture fixture(api_routes());
  auto plain = test::http_request(fixture.url("/big"));
  CHECK(plain.body == std::string(100000, 'x'));
  CHECK(plain.headers.count("content-encoding") == 0);
  CHECK(plain.headers["vary"] == "Accept-Encoding");

  auto zipped = test::http_request(fixture.url("/big"), "GET", {"Accept-Encoding: gzip"});
  CHECK(zipped.headers["content-encoding"] == "gzip");
  CHECK(zipped.headers["content-length"] == std::to_string(zipped.body.size()));
  CHECK(zipped.body.size() < 1000);
  bool ok = false;
  CHECK(test::gunzip(zipped.body, ok) == plain.body);
  CHECK(ok);

  // A handler that does not allow it is never compressed.
  auto echo_reply =
      test::http_request(fixture.url("/api/v1/query"), "GET", {"Accept-Encoding: gzip"});
  CHECK(echo_reply.headers.count("content-encoding") == 0);
  CHECK(echo_reply.headers.count("vary") == 0);
}

// A route registered from outside the exporter, as the daemon will register the
// query API: served beside the built-in pages, behind the same basic auth,
// counted under its pattern.
TEST_CASE("routes added through ExporterOptions are served like the built-in ones",
          "[exporter][http]") {
  HeadStorage storage;
  auto registry = std::make_shared<prometheus::Registry>();
  ExporterOptions options;
  options.listen_address = "127.0.0.1:0";
  options.worker_threads = 2;
  // bcrypt of "s3cret" at cost 4, so the test stays fast.
  options.web_config.basic_auth_users.emplace(
      "alice", "$2b$04$.YO72hRufde5LxPWdZuAgu609zBtyECpJCUbNzfPT4JFzUZDY2PCi");
  options.routes.push_back(echo_route("/api/v1/label/*", true, true));
  auto started = Exporter::start(options, storage, registry);
  INFO((started ? "" : started.error()));
  REQUIRE(started.is_ok());
  const std::string base = "http://127.0.0.1:" + std::to_string((*started)->port());
  const std::string alice = "Authorization: Basic YWxpY2U6czNjcmV0";  // alice:s3cret

  CHECK(test::http_request(base + "/api/v1/label/job/values").status == 401);
  auto job = test::http_request(base + "/api/v1/label/job/values", "GET", {alice});
  CHECK(job.status == 200);
  CHECK_THAT(job.body, Catch::Contains("suffix=job/values\n"));
  auto instance = test::http_request(base + "/api/v1/label/instance/values?match[]=up", "POST",
                                     {alice}, "match[]=node_load1");
  CHECK(instance.status == 200);
  CHECK_THAT(instance.body, Catch::Contains("suffix=instance/values\n"
                                            "param match[]=node_load1\n"
                                            "param match[]=up\n"));
  CHECK(test::http_request(base + "/metrics/self", "GET", {alice}).status == 200);

  // Both label requests count under the one pattern; a request is counted
  // after its response is sent, so the last may land a moment later.
  const std::string counted =
      "metrics_collector_http_requests_total{code=\"200\",handler=\"/api/v1/label/*\"} 2\n";
  std::string self;
  for (int attempt = 0; attempt < 100; ++attempt) {
    self = test::http_request(base + "/metrics/self", "GET", {alice}).body;
    if (self.find(counted) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK_THAT(self, Catch::Contains(counted));
  CHECK_THAT(self, !Catch::Contains("handler=\"/api/v1/label/job/values\""));
}

TEST_CASE("a route that takes a built-in pattern fails the start", "[exporter][http]") {
  HeadStorage storage;
  auto registry = std::make_shared<prometheus::Registry>();
  ExporterOptions options;
  options.listen_address = "127.0.0.1:0";
  options.routes.push_back(echo_route("/metrics", true, false));
  auto started = Exporter::start(options, storage, registry);
  REQUIRE_FALSE(started.is_ok());
  CHECK(started.error() == "exporter: route \"/metrics\": registered twice");

  options.routes = {echo_route("api/v1/query", true, false)};
  auto relative = Exporter::start(options, storage, registry);
  REQUIRE_FALSE(relative.is_ok());
  CHECK(relative.error() == "exporter: route \"api/v1/query\": a pattern starts with '/'");
}

}  // namespace
}  // namespace mc
