// ScrapeManager: scrapes every job of the config, as Prometheus's scrape
// manager → pool per job → loop per target, kept small: one ScrapePool per job
// (its settings, one loop per target), and one ScrapeScheduler for all of them
// (one thread driving every transfer on a libcurl multi handle, a small worker
// pool to parse and append).
//
// apply_config() is a reload: a job that left the config stops (its series get
// stale markers), a new job starts, a job whose scrape settings changed
// restarts its loops with the new settings, and an unchanged job only syncs its
// target list, so the loops of unchanged targets keep their series caches,
// staleness state and connections. sync() is the same target-list update for
// one job, for service discovery.
//
// Thread-safety: every member may be called from any thread; they run one at a
// time.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <prometheus/registry.h>

#include "collector/scrape/scrape_metrics.hpp"
#include "collector/scrape/scrape_pool.hpp"
#include "collector/scrape/scrape_scheduler.hpp"
#include "common/config/config.hpp"
#include "common/store/storage.hpp"
#include "common/util/status.hpp"

namespace mc {

struct ScrapeManagerOptions {
  size_t worker_threads = 2;  // parse + append; the reference machine has 2 cores
};

// What apply_config() changed, for its log line and tests.
struct ScrapeConfigChange {
  size_t jobs_added = 0;
  size_t jobs_removed = 0;
  size_t jobs_restarted = 0;  // settings changed
  size_t jobs_synced = 0;     // settings unchanged
  size_t targets_kept = 0;    // loops that survived
  size_t targets_added = 0;
  size_t targets_removed = 0;  // restarted jobs' loops included
};

class ScrapeManager {
 public:
  // Throws (prometheus-cpp) when the registry already holds a scrape
  // meta-metric of another type.
  ScrapeManager(Storage& storage, prometheus::Registry& registry,
                ScrapeManagerOptions options = {});
  // The same, then apply_config(config).
  ScrapeManager(const Config& config, Storage& storage, prometheus::Registry& registry,
                ScrapeManagerOptions options = {});
  ~ScrapeManager();  // stops
  ScrapeManager(const ScrapeManager&) = delete;
  ScrapeManager& operator=(const ScrapeManager&) = delete;

  // The target list of a job: its static_configs groups by default; with
  // service discovery, the discovery manager's current list for it.
  using TargetGroupsOf = std::function<std::vector<TargetGroup>(const ScrapeConfig& job)>;

  // Runs before or after start(); changes take effect at once. Every job,
  // kept, restarted or new, gets the list `groups_of` gives (empty: static),
  // so a job with service discovery neither loses its discovered targets nor
  // waits for discovery's next change.
  ScrapeConfigChange apply_config(const Config& config, const TargetGroupsOf& groups_of = {});
  // Replaces one job's target list; an error when the config has no such job.
  Result<ScrapePool::SyncResult> sync(const std::string& job_name,
                                      const std::vector<TargetGroup>& groups);

  void start();
  // Stops scheduling, waits for running scrapes, marks every target's series
  // stale. The pools stay: start() scrapes them again.
  void stop();

  size_t target_count() const;

 private:
  Storage& storage_;
  ScrapeMetrics metrics_;
  ScrapeScheduler scheduler_;
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<ScrapePool>> pools_;  // guarded by mutex_; by job
  bool running_ = false;                                      // guarded by mutex_
};

}  // namespace mc
