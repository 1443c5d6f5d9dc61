#include "daemon/collector_set.hpp"

#include <chrono>
#include <exception>

#include "common/util/logger.hpp"
#include "common/util/wall_clock.hpp"

namespace mc {

CollectorSet::CollectorSet(std::string config_file, Storage& storage,
                           std::shared_ptr<prometheus::Registry> registry,
                           ScrapeManagerOptions scrape_options, SqlCollectorOptions sql_options)
    : config_file_(std::move(config_file)),
      storage_(storage),
      registry_(std::move(registry)),
      scrape_options_(scrape_options),
      sql_options_(std::move(sql_options)),
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

Result<CollectorSet::Collectors> CollectorSet::create(const Config& config) {
  Collectors collectors;
  if (!config.sql.databases.empty()) {
    auto sql = SqlCollector::create(config.sql, storage_, *registry_, sql_options_);
    if (!sql) return sql.status();
    collectors.sql = std::move(*sql);
  }
  // prometheus-cpp throws when a family is registered again with another type.
  try {
    collectors.scrapes =
        std::make_unique<ScrapeManager>(config, storage_, *registry_, scrape_options_);
  } catch (const std::exception& error) {
    return Status::error(std::string("cannot create the scrape manager: ") + error.what());
  }
  return collectors;
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
  auto collectors = create(*config);
  if (!collectors) return collectors.status();
  config_ = std::move(*config);
  collectors_ = std::move(*collectors);
  record_reload(true);
  return Status::ok();
}

void CollectorSet::start() {
  std::lock_guard lock(mutex_);
  if (collectors_.scrapes) collectors_.scrapes->start();
  if (collectors_.sql) collectors_.sql->start();
  started_ = true;
}

Status CollectorSet::reload() {
  std::lock_guard lock(mutex_);
  log::info("loading configuration file", {{"file", config_file_}});
  auto config = load_config_file(config_file_);
  Result<Collectors> collectors = config ? create(*config) : Result<Collectors>(config.status());
  if (!collectors) {
    record_reload(false);
    log::error("error reloading config, keeping the old one",
               {{"file", config_file_}, {"err", collectors.error()}});
    return collectors.status();
  }
  // Old ones first: their stale markers land before the new scrapers append.
  if (collectors_.sql) collectors_.sql->stop();
  if (collectors_.scrapes) collectors_.scrapes->stop();
  collectors_ = std::move(*collectors);
  config_ = std::move(*config);
  if (started_) {
    collectors_.scrapes->start();
    if (collectors_.sql) collectors_.sql->start();
  }
  record_reload(true);
  log::info("completed loading of configuration file",
            {{"file", config_file_},
             {"scrape_configs", config_.scrape_configs.size()},
             {"sql_databases", config_.sql.databases.size()}});
  return Status::ok();
}

void CollectorSet::stop() {
  std::lock_guard lock(mutex_);
  if (collectors_.sql) collectors_.sql->stop();
  if (collectors_.scrapes) collectors_.scrapes->stop();
  started_ = false;
}

}  // namespace mc
