#include "exporter/metrics_renderer.hpp"

#include "common/exposition/writer.hpp"
#include "common/util/logger.hpp"
#include "common/util/wall_clock.hpp"
#include "exporter/family_set.hpp"
#include "exporter/process_collector.hpp"
#include "exporter/registry_families.hpp"
#include "exporter/storage_collector.hpp"

namespace mc {

MetricsRenderer::MetricsRenderer(MetricsRendererOptions options, Storage& storage,
                                 std::shared_ptr<prometheus::Registry> registry)
    : options_(std::move(options)), storage_(storage), registry_(std::move(registry)) {
  own_collectables_.push_back(std::make_shared<StorageCollector>(storage_));
  own_collectables_.push_back(std::make_shared<ProcessCollector>());
}

std::string MetricsRenderer::render(ExpositionFormat format, bool include_store) {
  FamilySet families;
  auto add_collected = [&](const std::vector<prometheus::MetricFamily>& collected) {
    for (auto& family : exposed_families_from_registry(collected, format)) {
      families.add_registry_family(std::move(family));
    }
  };
  add_collected(registry_->Collect());
  for (const auto& collectable : own_collectables_) add_collected(collectable->Collect());

  if (include_store) {
    const int64_t max_time = wall_clock_ms();
    const int64_t min_time = max_time - options_.lookback.count();
    storage_.latest_samples().for_each_latest(min_time, max_time, [&](const LatestSample& latest) {
      if (options_.external_labels.empty()) {
        families.add_stored_series(latest.shared_labels
                                       ? latest.shared_labels
                                       : std::make_shared<const Labels>(latest.labels),
                                   latest.metadata, latest.sample);
        return;
      }
      // As Prometheus's /federate: an external label is added where the series
      // does not carry that label itself.
      LabelsBuilder builder(latest.labels);
      for (const auto& label : options_.external_labels) {
        if (!latest.labels.has(label.name)) builder.set(label.name, label.value);
      }
      families.add_stored_series(std::make_shared<const Labels>(builder.labels()), latest.metadata,
                                 latest.sample);
    });
  }
  if (!families.type_conflicts().empty()) warn_type_conflicts(families.type_conflicts());

  const std::vector<ExposedFamily> gathered = families.take(format);
  std::string body;
  const size_t expected = last_body_size_.load(std::memory_order_relaxed);
  body.reserve(expected + expected / 8 + 4096);
  write_exposition(body, gathered, format);
  last_body_size_.store(body.size(), std::memory_order_relaxed);
  return body;
}

void MetricsRenderer::warn_type_conflicts(const std::vector<std::string>& families) {
  std::lock_guard lock(warned_mutex_);
  for (const auto& family : families) {
    if (!warned_conflicts_.insert(family).second) continue;
    log::warn(
        "stored family has another type than the meta-metric of the same name; exposing the "
        "meta-metric's metadata",
        {{"family", family}});
  }
}

}  // namespace mc
