// HttpServer: the exporter's civetweb glue. Listens (plain or TLS), checks
// basic auth on every request, finds the route in a RouteTable, reads the
// query string and form body into an HttpRequest, calls the handler, gzips
// and sends its HttpResponse, and counts the request by route pattern.
//
// Answers of its own, before any handler (a malformed query string or form
// body is the handler's to answer: HttpRequest::params_status):
//   401  with basic_auth_users and missing or wrong credentials
//        (WWW-Authenticate: Basic; metrics_collector_http_auth_failures_total)
//   404  a path no route matches (counted with handler="other")
//   405  a method the route has no handler for, with Allow
//   413  a form body over kMaxFormBytes (Go's ParseForm limit)
//   500  a handler that throws (the server stays up)
//
// Thread-safety: handlers run on civetweb's worker threads, several at once;
// the route table is read-only while serving. The destructor stops the
// server and waits for requests in flight, so what the handlers use must
// outlive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <prometheus/registry.h>

#include "common/config/web_config.hpp"
#include "common/util/status.hpp"
#include "exporter/route_table.hpp"

struct mg_context;
struct mg_connection;

namespace mc {

class BasicAuthenticator;
class HttpMetrics;

struct HttpServerOptions {
  // "host:port", ":port" (all IPv4 interfaces) or "[v6addr]:port"; port 0 picks a free port.
  std::string listen_address = ":9993";
  int worker_threads = 4;
  WebConfig web_config;  // TLS on the port, basic auth on every path
};

class HttpServer {
 public:
  static constexpr size_t kMaxFormBytes = size_t{10} << 20;

  // Registers metrics_collector_http_* into `registry`, one handler label per
  // route pattern, and starts listening. Fails with "cannot listen on
  // <address>: <reason>" when the address is invalid or cannot be bound.
  static Result<std::unique_ptr<HttpServer>> start(HttpServerOptions options, RouteTable routes,
                                                   prometheus::Registry& registry);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The port actually bound (useful with port 0).
  uint16_t port() const { return port_; }

 private:
  HttpServer(HttpServerOptions options, RouteTable routes);

  static int on_request(mg_connection* connection);
  static int on_init_ssl(void* ssl_context, void* user_data);
  int handle_request(mg_connection* connection);
  HttpResponse respond(mg_connection* connection, const RouteTable::Match* match);
  void poke_listener() const;

  const HttpServerOptions options_;
  const RouteTable routes_;
  std::unique_ptr<HttpMetrics> http_metrics_;
  std::unique_ptr<BasicAuthenticator> authenticator_;
  std::string tls_error_;  // set by on_init_ssl when the TLS setup fails
  mg_context* context_ = nullptr;
  uint16_t port_ = 0;
  uint32_t wake_address_ = 0;  // IPv4, network order; INADDR_NONE when not IPv4
};

}  // namespace mc
