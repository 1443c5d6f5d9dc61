#include "exporter/metrics_renderer.hpp"

#include "common/exposition/writer.hpp"
#include "common/util/logger.hpp"
#include "common/util/wall_clock.hpp"
#include "exporter/body_buffer.hpp"
#include "exporter/family_set.hpp"
#include "exporter/metrics_page.hpp"
#include "exporter/process_collector.hpp"
#include "exporter/registry_families.hpp"
#include "exporter/storage_collector.hpp"
#include "exporter/visited_series.hpp"

namespace mc {

MetricsRenderer::MetricsRenderer(MetricsRendererOptions options, Storage& storage,
                                 std::shared_ptr<prometheus::Registry> registry)
    : options_(std::move(options)),
      storage_(storage),
      registry_(std::move(registry)),
      cache_(options_.external_labels, options_.prefix_cache_bytes) {
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
        families.add_stored_series(
            latest.shared_labels ? latest.shared_labels : SharedLabels(latest.labels),
            latest.metadata, latest.sample);
        return;
      }
      // As Prometheus's /federate: an external label is added where the series
      // does not carry that label itself.
      LabelsBuilder builder(latest.labels);
      for (const auto& label : options_.external_labels) {
        if (!latest.labels.has(label.name)) builder.set(label.name, label.value);
      }
      families.add_stored_series(SharedLabels(builder.labels()), latest.metadata, latest.sample);
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

void MetricsRenderer::stream(ExpositionFormat format, bool include_store, const BodySink& sink,
                             RenderDeadline deadline) {
  // Held until the page is written: its rows point into the cache's entries
  // and its row buffers. A request that finds it busy renders on its own.
  std::unique_lock cache_lock(cache_mutex_, std::defer_lock);
  if (include_store) cache_lock.try_lock();
  SeriesPrefixCache* cache = cache_lock.owns_lock() ? &cache_ : nullptr;
  MetricsPage page(options_.external_labels, cache != nullptr ? &page_rows_ : nullptr);
  auto add_collected = [&](const std::vector<prometheus::MetricFamily>& collected) {
    for (const auto& family : exposed_families_from_registry(collected, format)) {
      page.add_registry_family(family);
    }
  };
  add_collected(registry_->Collect());
  for (const auto& collectable : own_collectables_) add_collected(collectable->Collect());

  BodyBuffer out(sink, deadline);
  if (!include_store) {
    page.write(format, out);
    out.finish();
    return;
  }
  // Ends the cache's request however this one ends (a throw included), or
  // the next would take this request's series for repeats and leave them out.
  struct EndRequest {
    SeriesPrefixCache* cache;
    ~EndRequest() {
      if (cache != nullptr) cache->end_request();
    }
  } end_request{cache};
  const int64_t max_time = wall_clock_ms();
  const int64_t min_time = max_time - options_.lookback.count();
  // The store's walks cannot be stopped, and a throw from inside one would
  // unwind through its locks: past the deadline the rest are skipped, then
  // the render throws.
  size_t until_check = kSeriesPerDeadlineCheck;
  bool past_deadline = false;
  auto give_up = [&] {
    if (past_deadline) return true;
    if (deadline == kNoRenderDeadline || --until_check != 0) return false;
    until_check = kSeriesPerDeadlineCheck;
    past_deadline = std::chrono::steady_clock::now() > deadline;
    return past_deadline;
  };
  if (cache == nullptr) {
    // Another request holds the cache: copies, which the store hands out once each.
    storage_.latest_samples().for_each_latest(min_time, max_time, [&](const LatestSample& latest) {
      if (give_up()) return;
      page.add_uncached_series(
          latest.shared_labels ? latest.shared_labels : SharedLabels(latest.labels),
          latest.metadata, latest.sample);
    });
  } else {
    // Visited in place (no copy of the labels' ownership); a series the store
    // hands out twice (see for_each_latest_in_place) is added once.
    VisitedSeries uncached_seen;  // only past the cache's bound
    storage_.latest_samples().for_each_latest_in_place(
        min_time, max_time, [&](const LatestSampleInPlace& latest) {
          if (give_up() || is_stale_nan(latest.sample.v)) return;
          bool repeated = false;
          if (const SeriesPrefix* prefix = cache->find_or_add(latest.labels, repeated)) {
            if (!repeated) page.add_stored_series(*prefix, latest.metadata, latest.sample);
            return;
          }
          if (!uncached_seen.insert(latest.labels.identity())) return;
          page.add_uncached_series(latest.labels, latest.metadata, latest.sample);
        });
  }
  if (past_deadline) throw RenderDeadlinePassed();
  if (!page.type_conflicts().empty()) warn_type_conflicts(page.type_conflicts());
  page.write(format, out);
  out.finish();
}

size_t MetricsRenderer::cached_prefixes() {
  std::lock_guard lock(cache_mutex_);
  return cache_.size();
}

size_t MetricsRenderer::cached_prefix_bytes() {
  std::lock_guard lock(cache_mutex_);
  return cache_.bytes();
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
