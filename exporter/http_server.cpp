#include "exporter/http_server.hpp"

#include <arpa/inet.h>
#include <civetweb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "common/util/http_header.hpp"
#include "common/util/logger.hpp"
#include "exporter/basic_auth.hpp"
#include "exporter/bind_failure.hpp"
#include "exporter/chunked_response.hpp"
#include "exporter/gzip.hpp"
#include "exporter/http_metrics.hpp"
#include "exporter/tls_context.hpp"

namespace mc {

namespace {

// The handler label of requests no route matches: one value, so a scanner
// cannot grow the label set.
constexpr std::string_view kOtherHandler = "other";

// ":9993" -> "9993" (all IPv4 interfaces), "localhost:9993" -> "127.0.0.1:9993";
// other hosts are handed to civetweb, which wants an IP address.
Result<std::string> civetweb_listening_port(std::string_view address) {
  auto invalid = [&](std::string_view why) {
    return Status::error("cannot listen on \"" + std::string(address) + "\": " + std::string(why));
  };
  size_t colon = address.rfind(':');
  if (colon == std::string_view::npos) return invalid("missing port, want host:port or :port");
  std::string_view host = address.substr(0, colon);
  std::string_view port = address.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string_view::npos ||
      std::stoi(std::string(port)) > 65535) {
    return invalid("port must be a number from 0 to 65535");
  }
  if (host.empty()) return std::string(port);
  if (host == "localhost") return "127.0.0.1:" + std::string(port);
  return std::string(address);
}

int log_civetweb_message(const mg_connection* /*connection*/, const char* message) {
  log::warn("http server", {{"err", std::string_view(message)}});
  return 1;
}

// The IPv4 address to connect to for waking the listener: loopback when
// listening on all interfaces, the address itself when it is an IPv4 one.
in_addr_t wake_address_for(const std::string& listening_port) {
  size_t colon = listening_port.rfind(':');
  if (colon == std::string::npos) return htonl(INADDR_LOOPBACK);
  in_addr parsed{};
  std::string host = listening_port.substr(0, colon);
  if (::inet_pton(AF_INET, host.c_str(), &parsed) != 1) return htonl(INADDR_NONE);
  if (parsed.s_addr == htonl(INADDR_ANY)) return htonl(INADDR_LOOPBACK);
  return parsed.s_addr;
}

bool is_form(std::string_view content_type) {
  const auto elements = parse_header_list(content_type);
  return !elements.empty() && elements.front().value == "application/x-www-form-urlencoded";
}

// Reads a form body, at most HttpServer::kMaxFormBytes; nullopt when it is larger.
std::optional<std::string> read_form_body(mg_connection* connection, long long content_length) {
  if (content_length > static_cast<long long>(HttpServer::kMaxFormBytes)) return std::nullopt;
  std::string body;
  if (content_length > 0) body.reserve(static_cast<size_t>(content_length));
  char buffer[16384];
  for (int n; (n = mg_read(connection, buffer, sizeof(buffer))) > 0;) {
    body.append(buffer, static_cast<size_t>(n));
    if (body.size() > HttpServer::kMaxFormBytes) return std::nullopt;
  }
  return body;
}

// Fills `request` from what civetweb parsed; an error answer when the form
// body is too large to read.
std::optional<HttpResponse> read_request(mg_connection* connection, const mg_request_info& info,
                                         HttpRequest& request) {
  for (int i = 0; i < info.num_headers; ++i) {
    const mg_header& header = info.http_headers[i];
    if (header.name == nullptr || header.value == nullptr) continue;
    request.headers.emplace_back(header.name, header.value);
  }
  // The body's parameters first, then the query string's, as Go's Request.Form;
  // the first error is kept, as ParseForm returns it.
  if (request.method == "POST" && is_form(request.header("Content-Type"))) {
    const auto body = read_form_body(connection, info.content_length);
    if (!body) {
      return HttpResponse::text(
          413, "form body larger than " + std::to_string(HttpServer::kMaxFormBytes) + " bytes\n");
    }
    if (Status decoded = request.params.add_encoded(*body); !decoded) {
      request.params_status = Status::error("invalid form body: " + decoded.message());
    }
  }
  if (Status decoded = request.params.add_encoded(request.query_string);
      !decoded && request.params_status.is_ok()) {
    request.params_status = Status::error("invalid query string: " + decoded.message());
  }
  return std::nullopt;
}

void send_response(mg_connection* connection, const HttpResponse& response, bool head_only) {
  if (response.stream_body) {
    send_chunked_response(connection, response, head_only);
    return;
  }
  send_sized_response(connection, response, response.body, head_only);
}

}  // namespace

HttpServer::HttpServer(HttpServerOptions options, RouteTable routes)
    : options_(std::move(options)), routes_(std::move(routes)) {}

Result<std::unique_ptr<HttpServer>> HttpServer::start(HttpServerOptions options, RouteTable routes,
                                                      prometheus::Registry& registry) {
  auto listening_port = civetweb_listening_port(options.listen_address);
  if (!listening_port) return listening_port.status();
  if (options.worker_threads < 1) {
    return Status::error("exporter: worker_threads must be at least 1, got " +
                         std::to_string(options.worker_threads));
  }
  if (options.web_config.tls) {
    if (Status available = civetweb_tls_available(); !available) return available;
  }

  std::unique_ptr<HttpServer> server(new HttpServer(std::move(options), std::move(routes)));
  const HttpServerOptions& opts = server->options_;
  try {
    std::vector<std::string> handlers = server->routes_.patterns();
    handlers.emplace_back(kOtherHandler);
    server->http_metrics_ = std::make_unique<HttpMetrics>(registry, handlers);
  } catch (const std::exception& error) {
    return Status::error(std::string("exporter: cannot register HTTP metrics: ") + error.what());
  }
  server->authenticator_ = std::make_unique<BasicAuthenticator>(opts.web_config.basic_auth_users);

  // civetweb marks an https port with a trailing "s".
  const std::string port_option = *listening_port + (opts.web_config.tls ? "s" : "");
  const std::string threads = std::to_string(opts.worker_threads);
  // tcp_nodelay: without it Nagle holds back a response's small writes
  // (civetweb sends each header line on its own) until the client's delayed
  // ACK, so a response on a kept-alive connection, as Prometheus keeps them,
  // took 40 ms more (bench/soak/README.md). Go sets TCP_NODELAY by default,
  // so every Go exporter Prometheus scrapes has it.
  const char* civetweb_options[] = {"listening_ports",
                                    port_option.c_str(),
                                    "num_threads",
                                    threads.c_str(),
                                    "enable_keep_alive",
                                    "yes",
                                    "keep_alive_timeout_ms",
                                    "500",
                                    "tcp_nodelay",
                                    "1",
                                    nullptr};
  mg_callbacks callbacks{};
  callbacks.begin_request = &HttpServer::on_request;
  callbacks.log_message = &log_civetweb_message;
  // Only with TLS: the callback makes civetweb load libssl.
  if (opts.web_config.tls) callbacks.init_ssl = &HttpServer::on_init_ssl;
  char error_text[256] = {};
  unsigned error_code = 0;
  mg_error_data error{&error_code, error_text, sizeof(error_text)};
  mg_init_data init{&callbacks, server.get(), civetweb_options};
  server->context_ = mg_start2(&init, &error);
  if (server->context_ == nullptr) {
    std::string reason = server->tls_error_;
    if (reason.empty()) reason = bind_failure_reason(*listening_port);
    if (reason.empty()) reason = error_text[0] != '\0' ? error_text : "civetweb failed to start";
    return Status::error("cannot listen on " + opts.listen_address + ": " + reason);
  }
  mg_server_port ports[4] = {};
  int port_count = mg_get_server_ports(server->context_, 4, ports);
  if (port_count < 1) return Status::error("exporter: civetweb reports no listening port");
  server->port_ = static_cast<uint16_t>(ports[0].port);
  server->wake_address_ = wake_address_for(*listening_port);
  return server;
}

HttpServer::~HttpServer() {
  if (context_ == nullptr) return;
  // civetweb's listener polls with a 2 s quantum and notices mg_stop() only
  // when poll returns; connecting to ourselves wakes it, so shutdown (and
  // every test) takes milliseconds instead of up to 2 s.
  std::atomic<bool> stopped{false};
  std::thread waker([this, &stopped] {
    for (int attempt = 0; attempt < 40 && !stopped.load(); ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (!stopped.load()) poke_listener();
    }
  });
  mg_stop(context_);
  stopped.store(true);
  waker.join();
}

void HttpServer::poke_listener() const {
  if (wake_address_ == htonl(INADDR_NONE)) return;  // IPv6 listener: let civetweb's poll time out
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_);
  address.sin_addr.s_addr = wake_address_;
  // Only the connection attempt matters: it wakes civetweb's accept; a refused or
  // failed connect means the listener is already gone, so the result is not read.
  static_cast<void>(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)));
  ::close(fd);
}

int HttpServer::on_request(mg_connection* connection) {
  auto* server = static_cast<HttpServer*>(mg_get_user_data(mg_get_context(connection)));
  return server->handle_request(connection);
}

int HttpServer::on_init_ssl(void* ssl_context, void* user_data) {
  auto* server = static_cast<HttpServer*>(user_data);
  Status status = configure_tls_context(ssl_context, *server->options_.web_config.tls);
  if (!status) {
    server->tls_error_ = status.message();
    return -1;
  }
  return 1;  // the certificate is set up; civetweb must not look for its own
}

int HttpServer::handle_request(mg_connection* connection) {
  const auto started = std::chrono::steady_clock::now();
  const mg_request_info* info = mg_get_request_info(connection);
  const std::string_view path = info->local_uri != nullptr ? info->local_uri : "";
  const std::string_view method = info->request_method != nullptr ? info->request_method : "";
  const auto match = routes_.find(path);

  HttpResponse response;
  try {
    response = respond(connection, match ? &*match : nullptr);
  } catch (const std::exception& error) {
    // prometheus-cpp and the standard library may throw (bad_alloc); a failed
    // request must not take the server down.
    log::error("http request failed", {{"path", path}, {"err", std::string_view(error.what())}});
    response = HttpResponse::text(500, "500 internal server error\n");
  }

  send_response(connection, response, method == "HEAD");
  if (response.after_sent) response.after_sent();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  http_metrics_->observe(match ? std::string_view(match->route->pattern) : kOtherHandler,
                         response.status, seconds);
  return response.status;
}

HttpResponse HttpServer::respond(mg_connection* connection, const RouteTable::Match* match) {
  const mg_request_info* info = mg_get_request_info(connection);
  const AuthOutcome auth = authenticator_->check(mg_get_header(connection, "Authorization"));
  if (auth != AuthOutcome::allowed) {
    http_metrics_->count_auth_failure(auth_failure_reason(auth));
    HttpResponse refused = HttpResponse::text(401, "Unauthorized\n");
    refused.headers.emplace_back("WWW-Authenticate", "Basic");
    return refused;
  }
  if (match == nullptr) return HttpResponse::text(404, "404 page not found\n");

  HttpRequest request;
  request.method = info->request_method != nullptr ? info->request_method : "";
  request.path = info->local_uri != nullptr ? info->local_uri : "";
  request.path_suffix = match->path_suffix;
  request.query_string = info->query_string != nullptr ? info->query_string : "";
  const RouteHandler* handler = RouteTable::handler_for(*match->route, request.method);
  if (handler == nullptr) {
    HttpResponse not_allowed = HttpResponse::text(405, "Method Not Allowed\n");
    not_allowed.headers.emplace_back("Allow", RouteTable::allowed_methods(*match->route));
    return not_allowed;
  }
  if (auto refused = read_request(connection, *info, request)) return std::move(*refused);

  HttpResponse response = (*handler)(request);
  if (response.gzip_when_accepted) {
    if (response.header("Vary").empty()) response.headers.emplace_back("Vary", "Accept-Encoding");
    if (accepts_gzip(request.header("Accept-Encoding")) && response.stream_body) {
      response.stream_body = gzip_streamed(std::move(response.stream_body));
      response.headers.emplace_back("Content-Encoding", "gzip");
    } else if (accepts_gzip(request.header("Accept-Encoding"))) {
      std::string compressed;
      if (gzip_compress(response.body, compressed)) {
        response.body = std::move(compressed);
        response.headers.emplace_back("Content-Encoding", "gzip");
      }
    }
  }
  return response;
}

}  // namespace mc
