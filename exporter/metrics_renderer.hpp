// MetricsRenderer: the bodies of /metrics and /metrics/self.
//
// /metrics is the newest sample of every stored series that is not stale and
// lies within the lookback window, with all its labels and its timestamp,
// grouped into families by its scraped metadata, merged with the
// meta-metrics; /metrics/self is the meta-metrics only (what the daemon
// scrapes of itself, so the store is never re-exposed into itself).
//
// Two ways to write it, with the same lines:
//   - stream(): what the routes serve. Families by name, series in the order
//     the store hands them out (MetricsPage), each series' `name{labels}`
//     text taken from a SeriesPrefixCache kept between requests, and the page
//     handed to a sink in pieces of 64 KiB instead of built whole. One render
//     at a time uses the cache (it holds it until its page is written); a
//     render that finds it busy renders its prefixes itself.
//   - render(): the whole page as one string, sorted by family name, then
//     labels (FamilySet and write_exposition): equal stores give equal bytes.
//     The reference stream() is tested and benchmarked against.
//
// The meta-metrics are `registry` plus the collectables the renderer owns:
// the store statistics (metrics_collector_head_*, metrics_collector_samples_*)
// and the process_* metrics, collected next to `registry` on every render
// (prometheus-cpp's Registry cannot hold custom collectables).
//
// Thread-safety: render() may be called from several threads at once. The
// Storage must outlive the renderer.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/registry.h>

#include "common/config/config.hpp"
#include "common/exposition/exposition_format.hpp"
#include "common/model/labels.hpp"
#include "common/store/storage.hpp"
#include "exporter/body_buffer.hpp"
#include "exporter/http_response.hpp"
#include "exporter/metrics_page.hpp"
#include "exporter/series_prefix_cache.hpp"

namespace mc {

struct MetricsRendererOptions {
  // How far back /metrics looks for a series' newest sample (Prometheus's
  // query.lookback-delta).
  Duration lookback = std::chrono::minutes(5);
  // Added to every stored series that does not have the label itself (as
  // Prometheus's /federate); not to the meta-metrics, which describe this daemon.
  std::vector<Label> external_labels;
  // Upper bound of the memory the rendered series prefixes may hold; series
  // beyond it are rendered on every request.
  size_t prefix_cache_bytes = size_t{64} << 20;
};

class MetricsRenderer {
 public:
  MetricsRenderer(MetricsRendererOptions options, Storage& storage,
                  std::shared_ptr<prometheus::Registry> registry);

  // The body of /metrics (include_store) or /metrics/self, uncompressed,
  // handed to `sink` in pieces; stops early when the sink answers false.
  // Throws RenderDeadlinePassed (body_buffer.hpp) once `deadline` has
  // passed: while gathering the series (checked every kSeriesPerDeadlineCheck)
  // or before a piece is sent. Under a starved CPU, renders that Prometheus
  // had given up on after its 1 s timeout ran on for up to 20 s, a dozen at
  // once, each holding its page (bench/soak/README.md).
  void stream(ExpositionFormat format, bool include_store, const BodySink& sink,
              RenderDeadline deadline = kNoRenderDeadline);
  static constexpr size_t kSeriesPerDeadlineCheck = 1024;
  // The same lines as stream(), sorted, as one string (see the top).
  std::string render(ExpositionFormat format, bool include_store);

  // Entries and bytes of the prefix cache, for tests and benchmarks.
  size_t cached_prefixes();
  size_t cached_prefix_bytes();

 private:
  void warn_type_conflicts(const std::vector<std::string>& families);

  const MetricsRendererOptions options_;
  Storage& storage_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::vector<std::shared_ptr<prometheus::Collectable>> own_collectables_;
  std::mutex cache_mutex_;
  SeriesPrefixCache cache_;                // GUARDED_BY(cache_mutex_)
  MetricsPage::RowBuffers page_rows_;      // GUARDED_BY(cache_mutex_)
  std::atomic<size_t> last_body_size_{0};  // to reserve the next body in one allocation
  std::mutex warned_mutex_;
  std::set<std::string> warned_conflicts_;  // GUARDED_BY(warned_mutex_)
};

}  // namespace mc
