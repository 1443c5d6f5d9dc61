#include "exporter/exporter.hpp"

#include <arpa/inet.h>
#include <civetweb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <exception>
#include <string_view>
#include <thread>

#include "common/exposition/writer.hpp"
#include "common/util/logger.hpp"
#include "common/util/wall_clock.hpp"
#include "exporter/basic_auth.hpp"
#include "exporter/build_info.hpp"
#include "exporter/family_set.hpp"
#include "exporter/gzip.hpp"
#include "exporter/http_metrics.hpp"
#include "exporter/process_collector.hpp"
#include "exporter/registry_families.hpp"
#include "exporter/storage_collector.hpp"
#include "exporter/tls_context.hpp"

namespace mc {

namespace {

enum class Route { metrics, metrics_self, healthy, ready, landing, reload, quit, not_found };

struct RouteEntry {
  std::string_view path;
  Route route;
};

constexpr RouteEntry kRoutes[] = {
    {"/metrics", Route::metrics},   {"/metrics/self", Route::metrics_self},
    {"/-/healthy", Route::healthy}, {"/-/ready", Route::ready},
    {"/", Route::landing},          {"/-/reload", Route::reload},
    {"/-/quit", Route::quit},
};
constexpr std::string_view kOtherHandler = "other";

bool is_lifecycle(Route route) { return route == Route::reload || route == Route::quit; }

Route route_of(std::string_view path) {
  for (const auto& entry : kRoutes) {
    if (entry.path == path) return entry.route;
  }
  return Route::not_found;
}

std::string_view handler_label(Route route, std::string_view path) {
  return route == Route::not_found ? kOtherHandler : path;
}

constexpr std::string_view kLandingPage =
    "<!DOCTYPE html>\n"
    "<html><head><title>metrics-collector</title></head>\n"
    "<body><h1>metrics-collector</h1>\n"
    "<ul>\n"
    "<li><a href=\"/metrics\">/metrics</a>: the newest sample of every collected series, "
    "and the collector's own metrics</li>\n"
    "<li><a href=\"/metrics/self\">/metrics/self</a>: the collector's own metrics only</li>\n"
    "<li><a href=\"/-/healthy\">/-/healthy</a>, <a href=\"/-/ready\">/-/ready</a></li>\n"
    "</ul></body></html>\n";

struct Response {
  int status = 200;
  std::string_view content_type = "text/plain; charset=utf-8";
  std::string body;
  bool gzipped = false;
  bool vary_accept = false;          // the body depends on Accept and Accept-Encoding
  std::string_view allow;            // the Allow header of a 405; empty: none
  bool ask_for_credentials = false;  // 401: WWW-Authenticate: Basic
};

void send_response(mg_connection* connection, const Response& response, bool head_only) {
  mg_response_header_start(connection, response.status);
  mg_response_header_add(connection, "Content-Type", response.content_type.data(),
                         static_cast<int>(response.content_type.size()));
  std::string length = std::to_string(response.body.size());
  mg_response_header_add(connection, "Content-Length", length.c_str(), -1);
  if (response.gzipped) mg_response_header_add(connection, "Content-Encoding", "gzip", -1);
  if (response.vary_accept) {
    mg_response_header_add(connection, "Vary", "Accept, Accept-Encoding", -1);
  }
  if (!response.allow.empty()) {
    mg_response_header_add(connection, "Allow", response.allow.data(),
                           static_cast<int>(response.allow.size()));
  }
  if (response.ask_for_credentials) {
    mg_response_header_add(connection, "WWW-Authenticate", "Basic", -1);
  }
  mg_response_header_send(connection);
  if (!head_only && !response.body.empty()) {
    mg_write(connection, response.body.data(), response.body.size());
  }
}

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

}  // namespace

Exporter::Exporter(ExporterOptions options, Storage& storage,
                   std::shared_ptr<prometheus::Registry> registry)
    : options_(std::move(options)), storage_(storage), registry_(std::move(registry)) {
  own_collectables_.push_back(std::make_shared<StorageCollector>(storage_));
  own_collectables_.push_back(std::make_shared<ProcessCollector>());
}

Result<std::unique_ptr<Exporter>> Exporter::start(
    const ExporterOptions& options, Storage& storage,
    const std::shared_ptr<prometheus::Registry>& registry) {
  if (!registry) return Status::error("exporter: no meta-metrics registry given");
  auto listening_port = civetweb_listening_port(options.listen_address);
  if (!listening_port) return listening_port.status();
  if (options.worker_threads < 1) {
    return Status::error("exporter: worker_threads must be at least 1, got " +
                         std::to_string(options.worker_threads));
  }

  if (options.web_config.tls) {
    if (Status available = civetweb_tls_available(); !available) return available;
  }

  std::unique_ptr<Exporter> exporter(new Exporter(options, storage, registry));
  try {
    std::vector<std::string> handlers;
    for (const auto& entry : kRoutes) handlers.emplace_back(entry.path);
    handlers.emplace_back(kOtherHandler);
    exporter->http_metrics_ = std::make_unique<HttpMetrics>(*registry, handlers);
  } catch (const std::exception& error) {
    return Status::error(std::string("exporter: cannot register HTTP metrics: ") + error.what());
  }
  if (auto status = register_build_info(*registry, {options.version, options.revision, ""});
      !status) {
    return Status::error("exporter: " + status.message());
  }

  exporter->authenticator_ =
      std::make_unique<BasicAuthenticator>(options.web_config.basic_auth_users);
  // civetweb marks an https port with a trailing "s".
  const std::string port_option = *listening_port + (options.web_config.tls ? "s" : "");
  const std::string threads = std::to_string(options.worker_threads);
  const char* civetweb_options[] = {"listening_ports",
                                    port_option.c_str(),
                                    "num_threads",
                                    threads.c_str(),
                                    "enable_keep_alive",
                                    "yes",
                                    "keep_alive_timeout_ms",
                                    "500",
                                    nullptr};
  mg_callbacks callbacks{};
  callbacks.begin_request = &Exporter::on_request;
  callbacks.log_message = &log_civetweb_message;
  // Only with TLS: the callback makes civetweb load libssl.
  if (options.web_config.tls) callbacks.init_ssl = &Exporter::on_init_ssl;
  char error_text[256] = {};
  unsigned error_code = 0;
  mg_error_data error{&error_code, error_text, sizeof(error_text)};
  mg_init_data init{&callbacks, exporter.get(), civetweb_options};
  exporter->context_ = mg_start2(&init, &error);
  if (exporter->context_ == nullptr) {
    std::string reason = !exporter->tls_error_.empty() ? exporter->tls_error_
                         : error_text[0] != '\0'       ? error_text
                                                       : "civetweb failed to start";
    return Status::error("cannot listen on " + options.listen_address + ": " + reason);
  }
  mg_server_port ports[4] = {};
  int port_count = mg_get_server_ports(exporter->context_, 4, ports);
  if (port_count < 1) return Status::error("exporter: civetweb reports no listening port");
  exporter->port_ = static_cast<uint16_t>(ports[0].port);
  exporter->wake_address_ = wake_address_for(*listening_port);
  log::info("exporter listening",
            {{"address", options.listen_address},
             {"port", exporter->port_},
             {"tls", options.web_config.tls.has_value()},
             {"basic_auth_users", options.web_config.basic_auth_users.size()}});
  return exporter;
}

Exporter::~Exporter() {
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

void Exporter::poke_listener() const {
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

int Exporter::on_request(mg_connection* connection) {
  auto* exporter = static_cast<Exporter*>(mg_get_user_data(mg_get_context(connection)));
  return exporter->handle_request(connection);
}

int Exporter::on_init_ssl(void* ssl_context, void* user_data) {
  auto* exporter = static_cast<Exporter*>(user_data);
  Status status = configure_tls_context(ssl_context, *exporter->options_.web_config.tls);
  if (!status) {
    exporter->tls_error_ = status.message();
    return -1;
  }
  return 1;  // the certificate is set up; civetweb must not look for its own
}

int Exporter::handle_request(mg_connection* connection) {
  const auto started = std::chrono::steady_clock::now();
  const mg_request_info* request = mg_get_request_info(connection);
  const std::string_view path = request->local_uri != nullptr ? request->local_uri : "";
  const std::string_view method = request->request_method != nullptr ? request->request_method : "";
  const Route route = route_of(path);
  const bool head_only = method == "HEAD";

  Response response;
  const AuthOutcome auth = authenticator_->check(mg_get_header(connection, "Authorization"));
  bool quit_after_response = false;
  try {
    if (auth != AuthOutcome::allowed) {
      response.status = 401;
      response.body = "Unauthorized\n";
      response.ask_for_credentials = true;
      http_metrics_->count_auth_failure(auth_failure_reason(auth));
    } else if (route == Route::not_found) {
      response.status = 404;
      response.body = "404 page not found\n";
    } else if (is_lifecycle(route) && method != "POST") {
      response.status = 405;
      response.body = "Method Not Allowed\n";
      response.allow = "POST";
    } else if (is_lifecycle(route) && !options_.enable_lifecycle) {
      // Prometheus's words, so scripts written against it read the same answer.
      response.status = 403;
      response.body = "Lifecycle API is not enabled.\n";
    } else if (route == Route::reload) {
      Status reloaded =
          options_.reload ? options_.reload() : Status::error("reload is not available");
      if (!reloaded) {
        response.status = 500;
        response.body = "failed to reload config: " + reloaded.message() + "\n";
      }
    } else if (route == Route::quit) {
      response.body = "Requesting termination... Goodbye!\n";
      quit_after_response = static_cast<bool>(options_.quit);
    } else if (method != "GET" && !head_only) {
      response.status = 405;
      response.body = "Method Not Allowed\n";
      response.allow = "GET, HEAD";
    } else {
      switch (route) {
        case Route::metrics:
        case Route::metrics_self: {
          const char* accept = mg_get_header(connection, "Accept");
          const ExpositionFormat format = format_from_accept(accept != nullptr ? accept : "");
          response.content_type = format == ExpositionFormat::openmetrics
                                      ? kOpenMetricsContentType
                                      : kPrometheusTextContentType;
          response.vary_accept = true;
          response.body = render_metrics(format, route == Route::metrics);
          const char* accept_encoding = mg_get_header(connection, "Accept-Encoding");
          if (accept_encoding != nullptr && accepts_gzip(accept_encoding)) {
            std::string compressed;
            if (gzip_compress(response.body, compressed)) {
              response.body = std::move(compressed);
              response.gzipped = true;
            }
          }
          break;
        }
        case Route::healthy:
          response.body = "Metrics Collector is Healthy.\n";
          break;
        case Route::ready:
          if (ready_.load(std::memory_order_relaxed)) {
            response.body = "Metrics Collector is Ready.\n";
          } else {
            response.status = 503;
            response.body = "Service Unavailable\n";
          }
          break;
        case Route::landing:
          response.content_type = "text/html; charset=utf-8";
          response.body = kLandingPage;
          break;
        case Route::reload:
        case Route::quit:
        case Route::not_found:
          break;
      }
    }
  } catch (const std::exception& error) {
    // prometheus-cpp and the standard library may throw (bad_alloc); a failed
    // request must not take the server down.
    log::error("http request failed", {{"path", path}, {"err", std::string_view(error.what())}});
    response = Response{};
    response.status = 500;
    response.body = "500 internal server error\n";
  }

  send_response(connection, response, head_only);
  if (quit_after_response) options_.quit();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  http_metrics_->observe(handler_label(route, path), response.status, seconds);
  return response.status;
}

std::string Exporter::render_metrics(ExpositionFormat format, bool include_store) {
  FamilySet families;
  auto add_collected = [&](const std::vector<prometheus::MetricFamily>& collected) {
    for (auto& family : exposed_families_from_registry(collected, format)) {
      families.add_registry_family(std::move(family));
    }
  };
  add_collected(registry_->Collect());
  for (const auto& collectable : own_collectables_) add_collected(collectable->Collect());

  if (include_store) {
    const int64_t max_time = wall_clock_ms();
    const int64_t min_time = max_time - options_.lookback.count();
    storage_.latest_samples().for_each_latest(min_time, max_time, [&](const LatestSample& latest) {
      if (options_.external_labels.empty()) {
        families.add_stored_series(latest.shared_labels
                                       ? latest.shared_labels
                                       : std::make_shared<const Labels>(latest.labels),
                                   latest.metadata, latest.sample);
        return;
      }
      // As Prometheus's /federate: an external label is added where the series
      // does not carry that label itself.
      LabelsBuilder builder(latest.labels);
      for (const auto& label : options_.external_labels) {
        if (!latest.labels.has(label.name)) builder.set(label.name, label.value);
      }
      families.add_stored_series(std::make_shared<const Labels>(builder.labels()), latest.metadata,
                                 latest.sample);
    });
  }
  if (!families.type_conflicts().empty()) warn_type_conflicts(families.type_conflicts());

  const std::vector<ExposedFamily> gathered = families.take(format);
  std::string body;
  const size_t expected = last_body_size_.load(std::memory_order_relaxed);
  body.reserve(expected + expected / 8 + 4096);
  write_exposition(body, gathered, format);
  last_body_size_.store(body.size(), std::memory_order_relaxed);
  return body;
}

void Exporter::warn_type_conflicts(const std::vector<std::string>& families) {
  std::lock_guard lock(warned_mutex_);
  for (const auto& family : families) {
    if (!warned_conflicts_.insert(family).second) continue;
    log::warn(
        "stored family has another type than the meta-metric of the same name; exposing the "
        "meta-metric's metadata",
        {{"family", family}});
  }
}

}  // namespace mc
