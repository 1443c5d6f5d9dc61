// CollectorSet: the collectors one config file asks for (the scrape manager,
// the discovery manager feeding it targets, and, with an `sql:` section, the
// SQL collector), started, replaced on reload and stopped as a unit.
//
// Targets: the discovery manager hands each job's whole list (static_configs
// and discovered groups) to ScrapeManager::sync, within about 100 ms of a
// change. Relative file_sd paths are taken from the config file's directory.
//
// reload() is Prometheus's /-/reload and SIGHUP: it re-reads the config file;
// a file that does not load (or whose SQL DSNs do not resolve) leaves the
// running collectors untouched and returns the error. A good file is applied
// to the running scrape manager (ScrapeManager::apply_config: unchanged
// targets keep their loops, series caches and staleness state; removed ones
// get stale markers), and replaces the SQL collector with a new one.
// Each reload sets
//   metrics_collector_config_last_reload_successful              gauge 0/1
//   metrics_collector_config_last_reload_success_timestamp_seconds gauge
// (Prometheus's prometheus_config_last_reload_*); a successful load() sets them too.
// global.external_labels is applied by the exporter, which keeps the labels
// it started with.
//
// Thread-safety: load(), start(), reload() and stop() may be called from any
// thread (the main thread for SIGHUP, a civetweb worker for /-/reload); they
// run one at a time.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "collector/discovery/discovery_manager.hpp"
#include "collector/scrape/scrape_manager.hpp"
#include "collector/sql/sql_collector.hpp"
#include "common/config/config.hpp"
#include "common/store/storage.hpp"
#include "common/util/status.hpp"

namespace mc {

class CollectorSet {
 public:
  // `discovery_options`: the debounce, and for tests a DNS server; its
  // config_directory is set from `config_file`.
  CollectorSet(std::string config_file, Storage& storage,
               std::shared_ptr<prometheus::Registry> registry, ScrapeManagerOptions scrape_options,
               SqlCollectorOptions sql_options, DiscoveryOptions discovery_options = {});
  ~CollectorSet();  // stops
  CollectorSet(const CollectorSet&) = delete;
  CollectorSet& operator=(const CollectorSet&) = delete;

  // Loads the config file and creates (does not start) its collectors. Errors
  // are "file:line:col: message", or name the SQL database whose DSN is missing.
  Status load();
  // Starts what load() created.
  void start();
  // Loads the file again and, when it is good, replaces the running collectors.
  Status reload();
  void stop();

  // The config in use (the last one that loaded); REQUIRES: load() succeeded.
  const Config& config() const { return config_; }

 private:
  // The SQL collector a config asks for; null without an `sql:` section.
  Result<std::unique_ptr<SqlCollector>> create_sql(const Config& config);
  void record_reload(bool successful);
  // The config's jobs to discovery, then to the scrape manager with
  // discovery's current lists. REQUIRES: mutex_ held, load() created both.
  ScrapeConfigChange apply_targets(const Config& config);

  const std::string config_file_;
  Storage& storage_;
  std::shared_ptr<prometheus::Registry> registry_;
  const ScrapeManagerOptions scrape_options_;
  const SqlCollectorOptions sql_options_;
  DiscoveryOptions discovery_options_;
  prometheus::Gauge& last_reload_successful_;
  prometheus::Gauge& last_reload_success_timestamp_;

  std::mutex mutex_;
  Config config_;                           // GUARDED_BY(mutex_) for writes
  std::unique_ptr<ScrapeManager> scrapes_;  // GUARDED_BY(mutex_); lives from load() on
  // After scrapes_ (destroyed first): its sink syncs scrapes_.
  std::unique_ptr<DiscoveryManager> discovery_;  // GUARDED_BY(mutex_); lives from load() on
  std::unique_ptr<SqlCollector> sql_;            // GUARDED_BY(mutex_)
  bool started_ = false;                         // GUARDED_BY(mutex_)
};

}  // namespace mc
