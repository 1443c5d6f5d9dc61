#include "collector/scrape/scrape_pool.hpp"

#include <algorithm>

#include "collector/scrape/scheduled_target.hpp"
#include "collector/scrape/scrape_error_text.hpp"
#include "common/util/duration.hpp"

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
                                                     const std::vector<Label>& group_labels,
                                                     std::vector<Labels>& dropped) {
  auto built = ScrapeTarget::build(*job_, target_labels, group_labels);
  if (built && !built->has_value()) {
    dropped.push_back(ScrapeTarget::discovered_labels(*job_, target_labels, group_labels));
  }
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
  std::vector<Labels> dropped;
  for (const auto& group : groups) {
    for (const auto& target_labels : group.targets) {
      auto built = build_target(target_labels, group.labels, dropped);
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
  dropped_ = std::move(dropped);
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
  dropped_.clear();
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

std::vector<std::shared_ptr<ScheduledTarget>> ScrapePool::targets_by_labels() const {
  std::vector<TargetPtr> targets;
  {
    std::lock_guard lock(mutex_);
    targets.reserve(targets_.size());
    for (const auto& [key, target] : targets_) targets.push_back(target);
  }
  std::sort(targets.begin(), targets.end(), [](const TargetPtr& a, const TargetPtr& b) {
    return a->loop.target().labels() < b->loop.target().labels();
  });
  return targets;
}

void ScrapePool::append_active_targets(std::vector<TargetStatus>& out) const {
  for (const TargetPtr& scheduled : targets_by_labels()) {
    const ScrapeTarget& target = scheduled->loop.target();
    const LastScrapeOutcome last = scheduled->loop.last_scrape();
    TargetStatus status;
    status.scrape_pool = job_->job_name;
    status.discovered_labels = target.discovered_labels();
    status.labels = target.labels();
    status.scrape_url = target.url();
    status.scrape_interval = format_duration(target.interval());
    status.scrape_timeout = format_duration(target.timeout());
    if (last.scraped) {
      status.health = last.up ? TargetHealth::up : TargetHealth::down;
      status.last_error = scrape_error_text(target.url(), last.failure_reason, last.error);
      status.last_scrape_ms = last.start_ms;
      status.last_scrape_duration_seconds = last.duration_seconds;
    }
    out.push_back(std::move(status));
  }
}

void ScrapePool::append_dropped_targets(std::vector<DroppedTarget>& out) const {
  std::lock_guard lock(mutex_);
  for (const Labels& labels : dropped_) out.push_back(DroppedTarget{job_->job_name, labels});
}

void ScrapePool::append_target_metadata(const std::function<bool(const Labels&)>& wanted,
                                        std::string_view metric,
                                        std::vector<TargetMetadata>& out) const {
  for (const TargetPtr& scheduled : targets_by_labels()) {
    const Labels& labels = scheduled->loop.target().labels();
    if (!wanted(labels)) continue;
    std::lock_guard loop_lock(scheduled->loop_mutex);
    out.push_back(TargetMetadata{labels, scheduled->loop.declared_metadata(metric)});
  }
}

}  // namespace mc
