#include "daemon/daemon.hpp"

#include <csignal>
#include <cstdlib>
#include <ctime>

#include <prometheus/registry.h>

#include "collector/scrape/scrape_manager.hpp"
#include "collector/sql/sql_collector.hpp"
#include "common/config/config.hpp"
#include "common/store/disk_storage.hpp"
#include "common/util/logger.hpp"
#include "exporter/exporter.hpp"

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
  return options;
}

// Blocks the shutdown signals in this thread and every thread it starts later,
// so that only the main thread's sigtimedwait() receives them.
sigset_t block_shutdown_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

int run_daemon(const Flags& flags) {
  log::configure(flags.log_level, flags.log_format);
  log::info("starting metrics-collector", {{"version", MC_VERSION}, {"revision", MC_REVISION}});

  auto config = load_config_file(flags.config_file);
  if (!config) {
    log::error("error loading config", {{"file", flags.config_file}, {"err", config.error()}});
    return 2;
  }
  log::info("loaded config", {{"file", flags.config_file},
                              {"scrape_configs", config->scrape_configs.size()},
                              {"sql_databases", config->sql.databases.size()}});

  // Checked even without an sql section, so a typo never waits for one.
  auto sql_tick = tick_from_environment(std::getenv(kTickDurationVariable));
  if (!sql_tick) {
    log::error("invalid environment variable", {{"err", sql_tick.error()}});
    return 2;
  }

  sigset_t shutdown_signals = block_shutdown_signals();

  auto opened = DiskStorage::open(storage_options(flags, config->storage));
  if (!opened) {
    log::error("cannot open the store", {{"dir", flags.storage_path}, {"err", opened.error()}});
    return 1;
  }
  std::unique_ptr<DiskStorage> disk_storage = std::move(*opened);
  Storage& storage = *disk_storage;
  log::info("opened the store", {{"dir", flags.storage_path}});

  auto registry = std::make_shared<prometheus::Registry>();

  // Created (DSNs resolved) before the server starts, so a missing DSN is a
  // start-up error; started after it listens, so :9993 serves at once while
  // the collector waits for its databases.
  std::unique_ptr<SqlCollector> sql;
  if (!config->sql.databases.empty()) {
    SqlCollectorOptions sql_options;
    sql_options.tick = *sql_tick;
    auto created = SqlCollector::create(config->sql, storage, *registry, sql_options);
    if (!created) {
      log::error("error loading config", {{"file", flags.config_file}, {"err", created.error()}});
      return 2;
    }
    sql = std::move(*created);
  }

  ExporterOptions exporter_options;
  exporter_options.listen_address = flags.listen_address;
  exporter_options.external_labels = config->global.external_labels;
  exporter_options.version = MC_VERSION;
  exporter_options.revision = MC_REVISION;
  auto exporter = Exporter::start(exporter_options, storage, registry);
  if (!exporter) {
    log::error("cannot start the web server", {{"err", exporter.error()}});
    return 1;
  }

  ScrapeManager scrapes(*config, storage, *registry, ScrapeManagerOptions{flags.scrape_workers});
  scrapes.start();
  if (sql) sql->start();
  (*exporter)->set_ready(true);
  log::info("server is ready to receive web requests");

  // The main thread waits for a shutdown signal; the store's own thread cuts
  // blocks and applies retention.
  for (;;) {
    int signal = sigwaitinfo(&shutdown_signals, nullptr);
    if (signal == SIGINT || signal == SIGTERM) {
      log::info("received a shutdown signal",
                {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
      break;
    }
  }

  (*exporter)->set_ready(false);
  if (sql) sql->stop();
  scrapes.stop();
  exporter->reset();
  // Last: every collector has committed. The WAL is fsynced on close; the head
  // stays in the WAL, to be replayed at the next start.
  disk_storage.reset();
  log::info("stopped");
  return 0;
}

}  // namespace mc
