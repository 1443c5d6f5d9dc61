#include "daemon/daemon.hpp"

#include <csignal>
#include <cstdlib>
#include <ctime>
#include <future>
#include <sstream>
#include <string>

#include <unistd.h>

#include <prometheus/registry.h>

#include "collector/sql/sql_collector.hpp"
#include "common/config/config.hpp"
#include "common/config/web_config.hpp"
#include "common/query/engine.hpp"
#include "common/store/block/block_index_cache.hpp"
#include "common/store/block/group_cache.hpp"
#include "common/store/disk_storage.hpp"
#include "common/util/build_version.hpp"
#include "common/util/logger.hpp"
#include "daemon/collector_set.hpp"
#include "daemon/prometheus_api.hpp"
#include "exporter/api/api_query_routes.hpp"
#include "exporter/api/api_routes.hpp"
#include "exporter/api/api_targets_routes.hpp"
#include "exporter/exporter.hpp"
#include "exporter/target_pages.hpp"

namespace mc {

namespace {

// The store's options from the flags and the config's `storage:` section.
DiskStorageOptions storage_options(const Flags& flags, const StorageConfig& config) {
  DiskStorageOptions options;
  options.dir = flags.storage_path;
  options.block_duration_ms = config.block_duration.count();
  switch (config.wal_fsync) {
    case WalFsyncMode::always:
      options.wal.fsync_policy = FsyncPolicy::always;
      break;
    case WalFsyncMode::never:
      options.wal.fsync_policy = FsyncPolicy::never;
      break;
    case WalFsyncMode::interval:
      options.wal.fsync_policy = FsyncPolicy::interval;
      options.wal.fsync_interval = config.wal_fsync_interval;
      break;
  }
  for (const auto& tier : config.tiers) {
    options.tiers.push_back(tiering::TierConfig{
        tier.name, tier.resolution.count(), tier.retention.count(), tier.block_duration.count()});
  }
  // A day's raw blocks (as many as the next tier's block holds) become one,
  // where raw data is kept for two such windows at least: a merged block is
  // kept until its newest sample is past the raw retention, so with a
  // shorter one merging would keep raw data well past it.
  if (options.tiers.size() > 1 &&
      options.tiers[0].retention_ms >= 2 * options.tiers[1].block_duration_ms) {
    options.raw_merge_window_ms = options.tiers[1].block_duration_ms;
  }
  return options;
}

// Blocks the shutdown signals (and SIGHUP, reload) in this thread and every
// thread it starts later, so that only the main thread's sigwaitinfo()
// receives them.
sigset_t block_shutdown_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// The value POST /-/quit queues with its SIGTERM.
constexpr int kQuitRequest = 0x71756974;  // "quit"

bool is_quit_request(const siginfo_t& sender) {
  return sender.si_signo == SIGTERM && sender.si_code == SI_QUEUE && sender.si_pid == ::getpid() &&
         sender.si_value.sival_int == kQuitRequest;
}

}  // namespace

int run_daemon(const Flags& flags) {
  log::configure(flags.log_level, flags.log_format);
  log::info("starting metrics-collector",
            {{"version", build_version()}, {"revision", build_revision()}});

  // Checked even without an sql section, so a typo never waits for one.
  auto sql_tick = tick_from_environment(std::getenv(kTickDurationVariable));
  if (!sql_tick) {
    log::error("invalid environment variable", {{"err", sql_tick.error()}});
    return 2;
  }

  WebConfig web_config;
  if (!flags.web_config_file.empty()) {
    auto loaded = load_web_config_file(flags.web_config_file);
    if (!loaded) {
      log::error("error loading web config",
                 {{"file", flags.web_config_file}, {"err", loaded.error()}});
      return 2;
    }
    web_config = std::move(*loaded);
  }

  sigset_t shutdown_signals = block_shutdown_signals();

  // The storage section is read once, at start: a reload changes what is
  // collected, not where or how it is stored.
  auto startup_config = load_config_file(flags.config_file);
  if (!startup_config) {
    // One line per error: the loader reports all of a file's errors at once.
    std::istringstream errors(startup_config.error());
    for (std::string error; std::getline(errors, error);) {
      log::error("error loading config", {{"file", flags.config_file}, {"err", error}});
    }
    return 2;
  }
  // Keys of a Prometheus config that are ignored (common/config/prometheus_keys.hpp).
  for (const std::string& warning : startup_config->warnings) {
    log::warn("ignoring a config key", {{"file", flags.config_file}, {"warning", warning}});
  }
  // Every block the daemon opens shares this one budget for parsed indexes
  // (set at start: a reload does not change it).
  block::BlockIndexCache::process().set_budget(startup_config->storage.block_index_cache_bytes);
  block::GroupCache::process().set_budget(startup_config->storage.block_group_cache_bytes);
  auto opened = DiskStorage::open(storage_options(flags, startup_config->storage));
  if (!opened) {
    log::error("cannot open the store", {{"dir", flags.storage_path}, {"err", opened.error()}});
    return 1;
  }
  std::unique_ptr<DiskStorage> disk_storage = std::move(*opened);
  Storage& storage = *disk_storage;
  log::info("opened the store", {{"dir", flags.storage_path}});

  auto registry = std::make_shared<prometheus::Registry>();

  // Created (config loaded, DSNs resolved) before the server starts, so a bad
  // config is a start-up error; started after it listens, so :9993 serves at
  // once while the SQL collector waits for its databases.
  SqlCollectorOptions sql_options;
  sql_options.tick = *sql_tick;
  CollectorSet collectors(flags.config_file, storage, registry,
                          ScrapeManagerOptions{flags.scrape_workers}, sql_options);
  if (Status loaded = collectors.load(); !loaded) {
    log::error("error loading config", {{"file", flags.config_file}, {"err", loaded.message()}});
    return 2;
  }
  const Config& config = collectors.config();
  ConfigRecord config_record;
  config_record.loaded(config);
  auto reload = [&collectors, &config_record] {
    return config_record.record_reload(
        [&collectors] { return collectors.reload(); },
        [&collectors]() -> const Config& { return collectors.config(); });
  };
  log::info("loaded config", {{"file", flags.config_file},
                              {"scrape_configs", config.scrape_configs.size()},
                              {"sql_databases", config.sql.databases.size()}});

  ExporterOptions exporter_options;
  exporter_options.listen_address = flags.listen_address;
  exporter_options.external_labels = config.global.external_labels;
  exporter_options.version = build_version();
  exporter_options.revision = build_revision();
  const std::string web_config_scheme = web_config.tls ? "https" : "http";
  exporter_options.web_config = std::move(web_config);
  exporter_options.enable_lifecycle = flags.enable_lifecycle;
  // A PromQL query holds its worker until it answers; a worker for each query
  // that may run at once, beyond the usual ones, keeps /metrics and the
  // health checks answering while slow queries run.
  exporter_options.worker_threads += flags.query_max_concurrency;
  // On a thread of its own: a civetweb worker's small stack does not hold a
  // config load and a scrape manager's start (the daemon crashed with SIGSEGV).
  exporter_options.reload = [&reload] { return std::async(std::launch::async, reload).get(); };
  // The Prometheus HTTP API (exporter/api), behind the same TLS and auth.
  exporter_options.routes =
      api::store_api_routes(storage, prometheus_api_options(flags, config, config_record));
  query::EngineOptions engine_options{flags.query_lookback_delta, flags.query_timeout,
                                      flags.query_max_samples, flags.query_max_concurrency};
  engine_options.workers = flags.query_workers;
  query::QueryEngine engine(storage, engine_options);
  for (Route& route : api::query_routes(engine))
    exporter_options.routes.push_back(std::move(route));
  // Targets as the scrape manager sees them: /api/v1/targets, /targets pages.
  for (Route& route :
       api::target_api_routes(collectors.target_status(),
                              api::default_external_url(flags.listen_address, web_config_scheme)))
    exporter_options.routes.push_back(std::move(route));
  for (Route& route : target_page_routes(collectors.target_status()))
    exporter_options.routes.push_back(std::move(route));
  // The main thread's sigwaitinfo() takes it as it would a kill; the queued
  // value tells it apart from one, so the log says what stopped the daemon.
  exporter_options.quit = [] {
    ::sigqueue(::getpid(), SIGTERM, sigval{.sival_int = kQuitRequest});
  };
  auto exporter = Exporter::start(exporter_options, storage, registry);
  if (!exporter) {
    log::error("cannot start the web server", {{"err", exporter.error()}});
    return 1;
  }

  collectors.start();
  (*exporter)->set_ready(true);
  log::info("server is ready to receive web requests");

  // The main thread waits for a shutdown signal; the store's own thread cuts
  // blocks and applies retention.
  for (;;) {
    siginfo_t sender{};
    int signal = sigwaitinfo(&shutdown_signals, &sender);
    if (signal == SIGHUP) {
      (void)reload();  // logs its own error and keeps the old config
      continue;
    }
    if (is_quit_request(sender)) {
      log::info("received a quit request", {{"request", "POST /-/quit"}});
      break;
    }
    if (signal == SIGINT || signal == SIGTERM) {
      log::info("received a shutdown signal",
                {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
      break;
    }
  }

  (*exporter)->set_ready(false);
  collectors.stop();
  exporter->reset();
  // Last: every collector has committed. The WAL is fsynced on close; the head
  // stays in the WAL, to be replayed at the next start.
  disk_storage.reset();
  log::info("stopped");
  return 0;
}

}  // namespace mc
