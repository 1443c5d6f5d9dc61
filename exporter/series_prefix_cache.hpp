// SeriesPrefixCache: the rendered `name{label="value",...}` text of each
// stored series, kept between /metrics requests.
//
// Writing a series' labels (escaping every value) was the largest part of a
// render once sorting was gone, and the labels of a live series never change:
// only its value and timestamp do. So the text is made once per series and
// reused until the series goes away. Beside the text an entry keeps what the
// OpenMetrics writer needs to group a family's samples into Metrics without
// comparing labels: a hash of the labels other than __name__, le and quantile,
// and the le and quantile bounds, parsed once.
//
// Entries are keyed by the address of the store's shared Labels and hold a
// reference to them, so an address cannot be reused by another series while
// its entry lives. The store hands series out in the same order on every
// request, so the cache remembers last request's order and checks the next
// entry of it first: a hit costs a pointer comparison instead of a hash probe
// (at 200,000 series the probes' cache misses were a third of the render).
//
// end_request() ends one request's sequence of lookups; every kSweepEvery
// requests it also drops the entries whose series the store no longer holds
// (the cache holds the only reference) and those not asked for since the
// previous sweep (a series outside the lookback window). Memory is bounded by
// max_bytes: past it find_or_add() answers null and the caller renders the
// series itself, uncached.
//
// Thread-safety: none; MetricsRenderer guards it with a mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/model/labels.hpp"

namespace mc {

// The rendered labels of one series and what grouping needs of them.
struct SeriesPrefix {
  std::shared_ptr<const Labels> labels;  // the labels as the store holds them (identity)
  std::string text;                      // name{labels}, external labels merged in
  uint32_t name_size = 0;                // text.substr(0, name_size) is the sample name
  uint64_t metric_hash = 0;              // labels but __name__, le, quantile
  double le = 0;                         // +Inf when absent or not a number
  double quantile = 0;                   // as le
  uint64_t last_request = 0;             // the request that last asked for it
  size_t position = 0;                   // its place in that request's order

  std::string_view name() const { return std::string_view(text).substr(0, name_size); }
};

// Renders `labels` (plus the external labels the series does not carry) into
// `prefix` (all fields but `labels` and `last_sweep`).
void render_series_prefix(const Labels& labels, const std::vector<Label>& external_labels,
                          SeriesPrefix& prefix);

// Whether two prefixes name the same Metric (equal labels but __name__, le
// and quantile); exact, for when metric_hash values are equal.
bool same_metric(const SeriesPrefix& a, const SeriesPrefix& b);

class SeriesPrefixCache {
 public:
  static constexpr uint64_t kSweepEvery = 16;

  SeriesPrefixCache(std::vector<Label> external_labels, size_t max_bytes)
      : external_labels_(std::move(external_labels)), max_bytes_(max_bytes) {}

  // The entry of `labels`, made on first sight; null when the cache is full.
  // `repeated` tells whether this request asked for it before. Entries stay
  // in place until end_request().
  const SeriesPrefix* find_or_add(const std::shared_ptr<const Labels>& labels, bool& repeated);
  // Ends a request's lookups; now and then drops dead and idle entries (see the top).
  void end_request();

  size_t size() const { return entries_.size(); }
  // Bytes held, estimated: entry, hash node and the text's heap buffer.
  size_t bytes() const { return bytes_; }

 private:
  static size_t entry_bytes(const SeriesPrefix& entry);

  const std::vector<Label> external_labels_;
  const size_t max_bytes_;
  void sweep();

  std::unordered_map<const Labels*, SeriesPrefix> entries_;
  std::vector<SeriesPrefix*> last_order_;  // last request's lookups, in order
  std::vector<SeriesPrefix*> order_;       // this request's so far
  size_t next_ = 0;                        // where in last_order_ the next lookup should be
  size_t bytes_ = 0;
  uint64_t requests_ = 1;
};

}  // namespace mc
