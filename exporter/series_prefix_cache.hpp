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
// The texts live in a TextArena in the order entries were made (the store's
// order), and each sample name once in a small interned set, so a page's rows
// carry the text and the name with them and writing never goes back to the
// entry. end_request() ends one request's sequence of lookups; every
// kSweepEvery requests it also drops the entries whose series the store no
// longer holds (the cache holds the only reference) and those not asked for
// since the previous sweep (a series outside the lookback window), and once
// the arena holds more dropped text than live, copies the live texts into a
// new one in last request's order. Memory is bounded by max_bytes: past it
// find_or_add() answers null and the caller renders the series itself,
// uncached.
//
// Thread-safety: none; MetricsRenderer guards it with a mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/shared_labels.hpp"
#include "exporter/text_arena.hpp"

namespace mc {

// The rendered labels of one series and what grouping needs of them. What a
// lookup reads and writes comes first, in the entry's first cache line.
struct SeriesPrefix {
  SharedLabels labels;                // the labels as the store holds them (identity)
  std::string_view text;              // name{labels}, external labels merged in; owner's storage
  const std::string* name = nullptr;  // the sample name (text's start), interned by the owner
  uint64_t last_request = 0;          // the request that last asked for it
  size_t position = 0;                // its place in that request's order
  uint64_t metric_hash = 0;           // labels but __name__, le, quantile
  double le = 0;                      // +Inf when absent or not a number
  double quantile = 0;                // as le
};

// Sample names, each stored once: a set searched by string_view, so looking a
// name up builds no string; its nodes keep their address.
struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
};
using InternedNames = std::unordered_set<std::string, NameHash, std::equal_to<>>;
// The stored copy of `name`, added when new.
const std::string* intern_name(InternedNames& names, std::string_view name);

// Renders `labels` (plus the external labels the series does not carry) into
// `text` (replaced) and the grouping fields of `prefix` (metric_hash, le,
// quantile); returns the size of the sample name at the front of `text`.
size_t render_series_prefix(const Labels& labels, const std::vector<Label>& external_labels,
                            std::string& text, SeriesPrefix& prefix);

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
  const SeriesPrefix* find_or_add(const SharedLabels& labels, bool& repeated);
  // Ends a request's lookups; now and then drops dead and idle entries (see the top).
  void end_request();

  size_t size() const { return entries_.size(); }
  // Bytes held, estimated: entries with their hash nodes, the arena's texts
  // (dropped ones included until it is rebuilt) and the interned names.
  size_t bytes() const { return entries_.size() * kEntryBytes + arena_.bytes() + name_bytes_; }

 private:
  // The hash node (next pointer, key, value) and its bucket.
  static constexpr size_t kEntryBytes =
      sizeof(void*) + sizeof(const Labels*) + sizeof(SeriesPrefix) + sizeof(void*);

  const std::string* intern(std::string_view name);
  void sweep();
  void rebuild_arena();

  const std::vector<Label> external_labels_;
  const size_t max_bytes_;

  std::unordered_map<const void*, SeriesPrefix> entries_;  // by SharedLabels::identity()
  TextArena arena_;                                        // the entries' texts
  size_t live_text_bytes_ = 0;  // of those, the texts of entries still held
  InternedNames names_;         // the entries' sample names
  size_t name_bytes_ = 0;
  std::string scratch_;                    // a text being rendered
  std::vector<SeriesPrefix*> last_order_;  // last request's lookups, in order
  std::vector<SeriesPrefix*> order_;       // this request's so far
  size_t next_ = 0;                        // where in last_order_ the next lookup should be
  uint64_t requests_ = 1;
};

}  // namespace mc
