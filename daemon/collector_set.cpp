#include "daemon/collector_set.hpp"

#include <chrono>
#include <exception>
#include <filesystem>
#include <sstream>

#include "common/util/logger.hpp"
#include "common/util/wall_clock.hpp"

namespace mc {

CollectorSet::CollectorSet(std::string config_file, Storage& storage,
                           std::shared_ptr<prometheus::Registry> registry,
                           ScrapeManagerOptions scrape_options, SqlCollectorOptions sql_options,
                           DiscoveryOptions discovery_options)
    : config_file_(std::move(config_file)),
      storage_(storage),
      registry_(std::move(registry)),
      scrape_options_(scrape_options),
      sql_options_(std::move(sql_options)),
      discovery_options_(std::move(discovery_options)),
      last_reload_successful_(
          prometheus::BuildGauge()
              .Name("metrics_collector_config_last_reload_successful")
              .Help("Whether the last configuration reload attempt was successful.")
              .Register(*registry_)
              .Add({})),
      last_reload_success_timestamp_(
          prometheus::BuildGauge()
              .Name("metrics_collector_config_last_reload_success_timestamp_seconds")
              .Help("Timestamp of the last successful configuration reload.")
              .Register(*registry_)
              .Add({})) {}

CollectorSet::~CollectorSet() { stop(); }

Result<std::unique_ptr<SqlCollector>> CollectorSet::create_sql(const Config& config) {
  if (config.sql.databases.empty()) return std::unique_ptr<SqlCollector>();
  return SqlCollector::create(config.sql, storage_, *registry_, sql_options_);
}

void CollectorSet::record_reload(bool successful) {
  last_reload_successful_.Set(successful ? 1 : 0);
  if (successful) {
    last_reload_success_timestamp_.Set(static_cast<double>(wall_clock_ms()) / 1000.0);
  }
}

Status CollectorSet::load() {
  std::lock_guard lock(mutex_);
  auto config = load_config_file(config_file_);
  if (!config) return config.status();
  auto sql = create_sql(*config);
  if (!sql) return sql.status();
  // prometheus-cpp throws when a family is registered again with another type.
  try {
    if (!scrapes_)
      scrapes_ = std::make_unique<ScrapeManager>(storage_, *registry_, scrape_options_);
    if (!discovery_) {
      discovery_options_.context.config_directory =
          std::filesystem::absolute(config_file_).parent_path().string();
      // scrapes_ lives as long as discovery_ (declared before it, stopped after it).
      discovery_ = std::make_unique<DiscoveryManager>(
          *registry_,
          [scrapes = scrapes_.get()](const std::string& job, std::vector<TargetGroup> groups) {
            auto synced = scrapes->sync(job, groups);
            // A job a reload just removed: its last list has nowhere to go.
            if (!synced) log::debug("discovered targets not applied", {{"err", synced.error()}});
          },
          discovery_options_);
    }
  } catch (const std::exception& error) {
    return Status::error(std::string("cannot create the scrape manager: ") + error.what());
  }
  apply_targets(*config);
  config_ = std::move(*config);
  sql_ = std::move(*sql);
  record_reload(true);
  return Status::ok();
}

ScrapeConfigChange CollectorSet::apply_targets(const Config& config) {
  discovery_->apply_config(config);
  ScrapeConfigChange change = scrapes_->apply_config(
      config, [this](const ScrapeConfig& job) { return discovery_->target_groups(job.job_name); });
  // A delivery computed before the new config may have landed after the
  // apply above; this one, from now, comes last.
  discovery_->flush();
  return change;
}

void CollectorSet::start() {
  std::lock_guard lock(mutex_);
  if (scrapes_) scrapes_->start();
  if (discovery_) discovery_->start();
  if (sql_) sql_->start();
  started_ = true;
}

Status CollectorSet::reload() {
  std::lock_guard lock(mutex_);
  log::info("loading configuration file", {{"file", config_file_}});
  auto config = load_config_file(config_file_);
  Result<std::unique_ptr<SqlCollector>> sql =
      config ? create_sql(*config) : Result<std::unique_ptr<SqlCollector>>(config.status());
  if (!sql || !scrapes_) {
    Status failure = sql ? Status::error("no configuration was loaded before") : sql.status();
    record_reload(false);
    // One line per error: the loader reports all of a file's errors at once.
    std::istringstream errors(failure.message());
    for (std::string error; std::getline(errors, error);) {
      log::error("error reloading config, keeping the old one",
                 {{"file", config_file_}, {"err", error}});
    }
    return failure;
  }
  // Keys of a Prometheus config that are ignored (common/config/prometheus_keys.hpp).
  for (const std::string& warning : config->warnings) {
    log::warn("ignoring a config key", {{"file", config_file_}, {"warning", warning}});
  }
  // The old SQL collector first: its stale markers land before the new one appends.
  if (sql_) sql_->stop();
  ScrapeConfigChange change = apply_targets(*config);
  sql_ = std::move(*sql);
  config_ = std::move(*config);
  if (started_ && sql_) sql_->start();
  record_reload(true);
  log::info("completed loading of configuration file",
            {{"file", config_file_},
             {"scrape_configs", config_.scrape_configs.size()},
             {"jobs_added", change.jobs_added},
             {"jobs_removed", change.jobs_removed},
             {"jobs_restarted", change.jobs_restarted},
             {"targets_kept", change.targets_kept},
             {"targets_added", change.targets_added},
             {"targets_removed", change.targets_removed},
             {"sql_databases", config_.sql.databases.size()}});
  return Status::ok();
}

void CollectorSet::stop() {
  std::lock_guard lock(mutex_);
  if (sql_) sql_->stop();
  if (discovery_) discovery_->stop();
  if (scrapes_) scrapes_->stop();
  started_ = false;
}

}  // namespace mc
