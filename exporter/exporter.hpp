// Exporter: the daemon's HTTP server (civetweb) on :9993.
//
//   GET /metrics        the newest sample of every stored series that is not
//                       stale and lies within the lookback window, with all
//                       its labels and its timestamp, grouped into families by
//                       its scraped metadata, merged with the meta-metrics
//   GET /metrics/self   the meta-metrics only (what the daemon scrapes of
//                       itself, so the store is never re-exposed into itself)
//   GET /-/healthy      200 always;  GET /-/ready  200 after set_ready(true), else 503
//   GET /               a small landing page
//   POST /-/reload      calls options.reload (re-read the config): 200, or 500 with its error
//   POST /-/quit        answers 200, then calls options.quit (shut down)
//   anything else       404; other methods than GET/HEAD on known paths 405
//
// The lifecycle endpoints (/-/reload, /-/quit) change state, so, as in
// Prometheus, they take POST only (405 otherwise) and answer 403 unless
// options.enable_lifecycle (--web.enable-lifecycle) is set.
//
// Web security (options.web_config, --web.config.file): with tls_server_config
// the port speaks https only (tls_context.hpp); with basic_auth_users every
// path, health and lifecycle included, needs valid credentials, else 401 with
// `WWW-Authenticate: Basic`, counted in metrics_collector_http_auth_failures_total
// (basic_auth.hpp, http_metrics.hpp). Nothing about the credentials is logged.
//
// /metrics answers in OpenMetrics when the Accept header asks for it (as
// Prometheus does), else in text 0.0.4, gzip-compressed when Accept-Encoding
// allows it. Output is sorted by family name, then labels: equal stores give
// equal bytes.
//
// Meta-metrics: start() registers metrics_collector_http_* and
// metrics_collector_build_info into `registry`; the store statistics
// (metrics_collector_head_*, metrics_collector_samples_*) and the process_*
// metrics are collectables the Exporter owns and collects next to `registry`
// on every request (prometheus-cpp's Registry cannot hold custom collectables).
// Other components register their meta-metrics into `registry` as usual.
//
// Thread-safety: requests run on civetweb's worker threads; set_ready() and
// port() may be called from any thread. The Storage must outlive the Exporter.
// The destructor stops the server and waits for requests in flight.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/registry.h>

#include "common/config/config.hpp"
#include "common/config/web_config.hpp"
#include "common/exposition/exposition_format.hpp"
#include "common/store/storage.hpp"
#include "common/util/build_version.hpp"
#include "common/util/status.hpp"

struct mg_context;
struct mg_connection;

namespace mc {

class BasicAuthenticator;
class HttpMetrics;

struct ExporterOptions {
  // "host:port", ":port" (all IPv4 interfaces) or "[v6addr]:port"; port 0 picks a free port.
  std::string listen_address = ":9993";
  int worker_threads = 4;
  // How far back /metrics looks for a series' newest sample (Prometheus's
  // query.lookback-delta).
  Duration lookback = std::chrono::minutes(5);
  // The config's global.external_labels: added to every stored series on
  // /metrics that does not have the label itself (as Prometheus's /federate).
  std::vector<Label> external_labels;
  // For metrics_collector_build_info; the daemon passes its own.
  std::string version{build_version()};
  std::string revision{build_revision()};
  // --web.config.file: TLS on the listening port, basic auth on every path.
  WebConfig web_config;
  // --web.enable-lifecycle: without it, POST /-/reload and /-/quit answer 403.
  bool enable_lifecycle = false;
  // POST /-/reload, on a civetweb worker thread; an error becomes the 500 body.
  // Unset: 500 "reload is not available".
  std::function<Status()> reload;
  // POST /-/quit, after the answer is sent; must return at once (the daemon
  // raises SIGTERM), since stopping the server waits for this request.
  std::function<void()> quit;
};

class Exporter {
 public:
  // Starts the server. Fails with "cannot listen on <address>: <reason>" when
  // the address is invalid or taken, or when the meta-metrics cannot be registered.
  static Result<std::unique_ptr<Exporter>> start(
      const ExporterOptions& options, Storage& storage,
      const std::shared_ptr<prometheus::Registry>& registry);
  ~Exporter();
  Exporter(const Exporter&) = delete;
  Exporter& operator=(const Exporter&) = delete;

  // The port actually bound (useful with port 0).
  uint16_t port() const { return port_; }
  void set_ready(bool ready) { ready_.store(ready, std::memory_order_relaxed); }

  // The bodies /metrics (include_store) and /metrics/self serve, uncompressed.
  std::string render_metrics(ExpositionFormat format, bool include_store);

 private:
  Exporter(ExporterOptions options, Storage& storage,
           std::shared_ptr<prometheus::Registry> registry);

  static int on_request(mg_connection* connection);
  static int on_init_ssl(void* ssl_context, void* user_data);
  int handle_request(mg_connection* connection);
  void warn_type_conflicts(const std::vector<std::string>& families);
  void poke_listener() const;

  ExporterOptions options_;
  Storage& storage_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::vector<std::shared_ptr<prometheus::Collectable>> own_collectables_;
  std::unique_ptr<HttpMetrics> http_metrics_;
  std::unique_ptr<BasicAuthenticator> authenticator_;
  std::string tls_error_;  // set by on_init_ssl when the TLS setup fails
  std::atomic<bool> ready_{false};
  std::atomic<size_t> last_body_size_{0};  // to reserve the next body in one allocation
  std::mutex warned_mutex_;
  std::set<std::string> warned_conflicts_;  // GUARDED_BY(warned_mutex_)
  mg_context* context_ = nullptr;
  uint16_t port_ = 0;
  uint32_t wake_address_ = 0;  // IPv4, network order; INADDR_NONE when not IPv4
};

}  // namespace mc
