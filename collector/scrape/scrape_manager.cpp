#include "collector/scrape/scrape_manager.hpp"

#include <set>

#include "collector/scrape/scrape_settings.hpp"
#include "common/util/logger.hpp"
#include "common/util/wall_clock.hpp"

namespace mc {

ScrapeManager::ScrapeManager(Storage& storage, prometheus::Registry& registry,
                             ScrapeManagerOptions options)
    : storage_(storage), metrics_(registry), scheduler_(metrics_, options.worker_threads) {}

ScrapeManager::ScrapeManager(const Config& config, Storage& storage, prometheus::Registry& registry,
                             ScrapeManagerOptions options)
    : ScrapeManager(storage, registry, options) {
  apply_config(config);
}

ScrapeManager::~ScrapeManager() {
  stop();
  std::lock_guard lock(mutex_);
  pools_.clear();  // before the scheduler they unschedule from
}

ScrapeConfigChange ScrapeManager::apply_config(const Config& config,
                                               const TargetGroupsOf& groups_of) {
  std::lock_guard lock(mutex_);
  ScrapeConfigChange change;
  const int64_t now = wall_clock_ms();
  std::set<std::string> wanted;
  for (const auto& job : config.scrape_configs) wanted.insert(job.job_name);
  for (auto it = pools_.begin(); it != pools_.end();) {
    if (wanted.contains(it->first)) {
      ++it;
      continue;
    }
    change.targets_removed += it->second->target_count();
    it->second->stop(now);
    ++change.jobs_removed;
    it = pools_.erase(it);
  }
  for (const auto& job : config.scrape_configs) {
    const std::vector<TargetGroup> groups =
        groups_of ? groups_of(job) : static_target_groups(job.static_configs);
    auto& pool = pools_[job.job_name];
    if (pool && same_scrape_settings(pool->config(), job)) {
      auto synced = pool->sync(groups);
      change.targets_kept += synced.kept;
      change.targets_added += synced.added;
      change.targets_removed += synced.removed;
      ++change.jobs_synced;
      continue;
    }
    auto next = std::make_unique<ScrapePool>(job, storage_, scheduler_, metrics_);
    if (pool) {
      // The series of targets the new settings still scrape go on without a
      // gap; only the others are marked stale.
      change.targets_removed += pool->target_count();
      pool->stop(now, next->target_labels(groups));
      ++change.jobs_restarted;
    } else {
      ++change.jobs_added;
    }
    change.targets_added += next->sync(groups).added;
    pool = std::move(next);
  }
  return change;
}

Result<ScrapePool::SyncResult> ScrapeManager::sync(const std::string& job_name,
                                                   const std::vector<TargetGroup>& groups) {
  std::lock_guard lock(mutex_);
  auto found = pools_.find(job_name);
  if (found == pools_.end()) {
    return Status::error("cannot sync targets: no scrape config has job_name \"" + job_name + "\"");
  }
  return found->second->sync(groups);
}

void ScrapeManager::start() {
  std::lock_guard lock(mutex_);
  if (running_) return;
  running_ = true;
  scheduler_.start();
  log::info("scrape manager started",
            {{"targets", scheduler_.target_count()}, {"jobs", pools_.size()}});
}

void ScrapeManager::stop() {
  std::lock_guard lock(mutex_);
  if (!running_) return;
  running_ = false;
  scheduler_.stop();
  const int64_t now = wall_clock_ms();
  for (auto& [job, pool] : pools_) pool->mark_all_stale(now);
}

size_t ScrapeManager::target_count() const {
  std::lock_guard lock(mutex_);
  return scheduler_.target_count();
}

}  // namespace mc
