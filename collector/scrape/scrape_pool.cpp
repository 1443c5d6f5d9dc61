#include "collector/scrape/scrape_pool.hpp"

#include "collector/scrape/scheduled_target.hpp"

#include "common/util/logger.hpp"
#include "common/util/wall_clock.hpp"

namespace mc {

ScrapePool::ScrapePool(ScrapeConfig job, Storage& storage, ScrapeScheduler& scheduler,
                       ScrapeMetrics& metrics)
    : job_(std::make_shared<const ScrapeConfig>(std::move(job))),
      storage_(storage),
      scheduler_(scheduler),
      job_metrics_(metrics.job(job_->job_name)) {}

ScrapePool::~ScrapePool() {
  std::vector<TargetPtr> removed;
  for (auto& [key, target] : targets_) removed.push_back(target);
  if (!removed.empty()) scheduler_.update({}, std::move(removed));
}

std::optional<ScrapeTarget> ScrapePool::build_target(const std::vector<Label>& target_labels,
                                                     const std::vector<Label>& group_labels) {
  auto built = ScrapeTarget::build(*job_, target_labels, group_labels);
  if (!built) {
    std::string address;
    for (const auto& label : target_labels) {
      if (label.name == "__address__") address = label.value;
    }
    // As Prometheus's "Creating target failed": the job's other targets go on.
    log::error("creating target failed",
               {{"scrape_pool", job_->job_name}, {"target", address}, {"err", built.error()}});
    return std::nullopt;
  }
  return std::move(*built);
}

std::string ScrapePool::key_of(const ScrapeTarget& target) {
  return target.url() + '\n' + target.labels().to_string();
}

ScrapePool::SyncResult ScrapePool::sync(const std::vector<TargetGroup>& groups) {
  std::lock_guard lock(mutex_);
  SyncResult result;
  std::map<std::string, TargetPtr> next;
  std::vector<TargetPtr> added;
  for (const auto& group : groups) {
    for (const auto& target_labels : group.targets) {
      auto built = build_target(target_labels, group.labels);
      if (!built) continue;
      ScrapeTarget& target = *built;
      std::string key = key_of(target);
      if (next.contains(key)) continue;
      auto kept = targets_.find(key);
      if (kept != targets_.end()) {
        next.emplace(std::move(key), kept->second);
        ++result.kept;
        continue;
      }
      auto created =
          std::make_shared<ScheduledTarget>(job_, std::move(target), storage_, job_metrics_);
      added.push_back(created);
      next.emplace(std::move(key), std::move(created));
    }
  }
  std::vector<TargetPtr> removed;
  for (auto& [key, target] : targets_) {
    if (!next.contains(key)) removed.push_back(target);
  }
  result.added = added.size();
  result.removed = removed.size();
  if (!added.empty() || !removed.empty()) scheduler_.update(std::move(added), removed);
  // After the scheduler let them go: no new scrape starts, and mark_stale waits
  // for one being processed.
  int64_t now = wall_clock_ms();
  for (const auto& target : removed) mark_stale(*target, now, /*retire=*/true);
  targets_ = std::move(next);
  job_metrics_.targets->Set(static_cast<double>(targets_.size()));
  return result;
}

void ScrapePool::stop(int64_t t_ms, const std::set<Labels>& continued) {
  std::lock_guard lock(mutex_);
  std::vector<TargetPtr> removed;
  for (auto& [key, target] : targets_) removed.push_back(target);
  scheduler_.update({}, removed);
  for (const auto& target : removed) {
    if (continued.contains(target->loop.target().labels())) {
      std::lock_guard loop_lock(target->loop_mutex);
      target->retired = true;
    } else {
      mark_stale(*target, t_ms, /*retire=*/true);
    }
  }
  targets_.clear();
  job_metrics_.targets->Set(0);
}

void ScrapePool::mark_all_stale(int64_t t_ms) {
  std::lock_guard lock(mutex_);
  for (auto& [key, target] : targets_) mark_stale(*target, t_ms, /*retire=*/false);
}

void ScrapePool::mark_stale(ScheduledTarget& target, int64_t t_ms, bool retire) {
  std::lock_guard loop_lock(target.loop_mutex);
  if (target.retired) return;
  target.loop.mark_all_stale(t_ms);
  if (retire) target.retired = true;
}

std::set<Labels> ScrapePool::target_labels(const std::vector<TargetGroup>& groups) const {
  std::set<Labels> labels;
  for (const auto& group : groups) {
    for (const auto& target_labels : group.targets) {
      auto built = ScrapeTarget::build(*job_, target_labels, group.labels);
      if (built && built->has_value()) labels.insert((*built)->labels());
    }
  }
  return labels;
}

size_t ScrapePool::target_count() const {
  std::lock_guard lock(mutex_);
  return targets_.size();
}

}  // namespace mc
