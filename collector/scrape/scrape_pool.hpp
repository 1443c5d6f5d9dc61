// ScrapePool: the scraping of one job, as Prometheus's scrape pool: the job's
// scrape settings and one ScheduledTarget (loop + connection) per target.
//
// sync() takes the job's whole target list (the config's static groups today,
// service discovery's groups later), runs each target through the job's
// relabel_configs (ScrapeTarget::build) and changes only what changed: a target
// with the same URL and labels keeps its loop, so its series cache, staleness
// state and connection survive; a new target starts at its offset inside the
// interval; a target no longer listed stops, and its series get staleness
// markers at once. The settings are fixed for the pool's life: a job whose
// settings change gets a new pool (ScrapeManager::apply_config).
//
// Thread-safety: every member may be called from any thread; syncs of one pool
// run one at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "collector/scrape/scrape_metrics.hpp"
#include "collector/scrape/scrape_scheduler.hpp"
#include "collector/scrape/scrape_target.hpp"
#include "common/config/config.hpp"
#include "common/config/target_group.hpp"
#include "common/model/labels.hpp"
#include "common/model/target_status.hpp"
#include "common/store/storage.hpp"

namespace mc {

struct ScheduledTarget;  // curl stays out of the headers the daemon includes

class ScrapePool {
 public:
  // `scheduler` and `metrics` must outlive the pool.
  ScrapePool(ScrapeConfig job, Storage& storage, ScrapeScheduler& scheduler,
             ScrapeMetrics& metrics);
  // Unschedules every target without marking anything stale (stop() does that).
  ~ScrapePool();
  ScrapePool(const ScrapePool&) = delete;
  ScrapePool& operator=(const ScrapePool&) = delete;

  const ScrapeConfig& config() const { return *job_; }

  struct SyncResult {
    size_t kept = 0;
    size_t added = 0;
    size_t removed = 0;
  };
  // Makes the pool scrape exactly the targets of `groups` (duplicates once).
  SyncResult sync(const std::vector<TargetGroup>& groups);

  // Stops every target; their series get stale markers at `t_ms`, except the
  // targets whose labels are in `continued` (a successor pool goes on scraping
  // the same series, as when a job's settings change). The pool is empty after.
  void stop(int64_t t_ms, const std::set<Labels>& continued = {});

  // Marks the series of every target stale without unscheduling them: the
  // scheduler was stopped (shutdown).
  void mark_all_stale(int64_t t_ms);

  // The labels of the targets `groups` would give this job.
  std::set<Labels> target_labels(const std::vector<TargetGroup>& groups) const;
  size_t target_count() const;

  // For /api/v1/targets: each target's labels and last scrape, ordered by
  // labels, and the targets the relabel_configs dropped in the last sync.
  void append_active_targets(std::vector<TargetStatus>& out) const;
  void append_dropped_targets(std::vector<DroppedTarget>& out) const;
  // The declared metadata of each target `wanted` accepts, in the order of
  // append_active_targets(); waits for a scrape being processed.
  void append_target_metadata(const std::function<bool(const Labels&)>& wanted,
                              std::string_view metric, std::vector<TargetMetadata>& out) const;

 private:
  using TargetPtr = std::shared_ptr<ScheduledTarget>;
  // The target the job's relabel_configs make of `address`; nullopt when they
  // drop it (its discovered labels go to `dropped`), or when they leave no
  // usable target (logged).
  std::optional<ScrapeTarget> build_target(const std::vector<Label>& target_labels,
                                           const std::vector<Label>& group_labels,
                                           std::vector<Labels>& dropped);
  // The targets in label order.
  std::vector<std::shared_ptr<ScheduledTarget>> targets_by_labels() const;
  // Unchanged means same URL and same labels; the settings are the pool's.
  static std::string key_of(const ScrapeTarget& target);
  // Locks each loop so no scrape is appended after the markers; `retire` also
  // stops the loop for good.
  static void mark_stale(ScheduledTarget& target, int64_t t_ms, bool retire);

  const std::shared_ptr<const ScrapeConfig> job_;
  Storage& storage_;
  ScrapeScheduler& scheduler_;
  ScrapeMetrics::Job& job_metrics_;

  mutable std::mutex mutex_;
  std::map<std::string, TargetPtr> targets_;  // guarded by mutex_; by key_of()
  std::vector<Labels> dropped_;               // guarded by mutex_; discovered labels
};

}  // namespace mc
