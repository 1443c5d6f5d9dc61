#include "exporter/series_prefix_cache.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>

#include "common/model/label_value_escape.hpp"

namespace mc {

namespace {

constexpr std::string_view kLe = "le";
constexpr std::string_view kQuantile = "quantile";

// As the sorted writer reads a bound: +Inf when absent or not a whole number.
double parse_bound(std::string_view text) {
  if (text.empty()) return std::numeric_limits<double>::infinity();
  std::string copy(text);  // strtod needs a terminator; once per series, not per render
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || std::isnan(value)) {
    return std::numeric_limits<double>::infinity();
  }
  return value;
}

bool outside_metric(std::string_view name) {
  return name == kMetricNameLabel || name == kLe || name == kQuantile;
}

void render_labels(const Labels& labels, SeriesPrefix& prefix) {
  std::string& text = prefix.text;
  text.clear();
  text += labels.metric_name();
  prefix.name_size = static_cast<uint32_t>(text.size());
  LabelsHasher metric;
  char separator = '{';
  for (const auto& label : labels) {
    if (label.name == kMetricNameLabel) continue;
    text += separator;
    separator = ',';
    text += label.name;
    text += "=\"";
    append_escaped_label_value(text, label.value);
    text += '"';
    if (!outside_metric(label.name)) metric.add(label.name, label.value);
  }
  if (separator == ',') text += '}';
  prefix.metric_hash = metric.finish();
  prefix.le = parse_bound(labels.get(kLe));
  prefix.quantile = parse_bound(labels.get(kQuantile));
}

}  // namespace

void render_series_prefix(const Labels& labels, const std::vector<Label>& external_labels,
                          SeriesPrefix& prefix) {
  if (external_labels.empty()) {
    render_labels(labels, prefix);
    return;
  }
  // As Prometheus's /federate: an external label is added where the series
  // does not carry that label itself.
  LabelsBuilder builder(labels);
  for (const auto& label : external_labels) {
    if (!labels.has(label.name)) builder.set(label.name, label.value);
  }
  render_labels(builder.labels(), prefix);
}

bool same_metric(const SeriesPrefix& a, const SeriesPrefix& b) {
  auto skip = [](Labels::Iterator it, Labels::Iterator end) {
    while (it != end && outside_metric(it->name)) ++it;
    return it;
  };
  const Labels& x = *a.labels;
  const Labels& y = *b.labels;
  auto i = skip(x.begin(), x.end());
  auto j = skip(y.begin(), y.end());
  while (i != x.end() && j != y.end()) {
    if (*i != *j) return false;
    i = skip(std::next(i), x.end());
    j = skip(std::next(j), y.end());
  }
  return i == x.end() && j == y.end();
}

size_t SeriesPrefixCache::entry_bytes(const SeriesPrefix& entry) {
  // The hash node (key, value, next pointer, cached hash) and its bucket.
  constexpr size_t kNodeBytes = sizeof(const Labels*) + sizeof(SeriesPrefix) + 2 * sizeof(void*);
  const size_t text_heap = entry.text.capacity() > 15 ? entry.text.capacity() + 1 : 0;
  return kNodeBytes + sizeof(void*) + text_heap;
}

const SeriesPrefix* SeriesPrefixCache::find_or_add(const std::shared_ptr<const Labels>& labels,
                                                   bool& repeated) {
  repeated = false;
  SeriesPrefix* entry = nullptr;
  if (next_ < last_order_.size() && last_order_[next_]->labels.get() == labels.get()) {
    entry = last_order_[next_];
    ++next_;
    if (entry->last_request == requests_) {
      repeated = true;
      return entry;
    }
  } else if (auto it = entries_.find(labels.get()); it != entries_.end()) {
    entry = &it->second;
    if (entry->last_request == requests_) {
      repeated = true;
      return entry;
    }
    // Series came and went before it: go on from its place in last order.
    if (entry->last_request + 1 == requests_) next_ = entry->position + 1;
  } else {
    if (bytes_ >= max_bytes_) return nullptr;
    entry = &entries_[labels.get()];
    entry->labels = labels;
    render_series_prefix(*labels, external_labels_, *entry);
    entry->text.shrink_to_fit();  // held for many requests
    bytes_ += entry_bytes(*entry);
  }
  entry->last_request = requests_;
  entry->position = order_.size();
  order_.push_back(entry);
  return entry;
}

void SeriesPrefixCache::end_request() {
  std::swap(last_order_, order_);
  order_.clear();
  next_ = 0;
  if (requests_ % kSweepEvery == 0) sweep();
  ++requests_;
}

void SeriesPrefixCache::sweep() {
  const uint64_t oldest_kept = requests_ + 1 - kSweepEvery;
  bool erased = false;
  for (auto it = entries_.begin(); it != entries_.end();) {
    const SeriesPrefix& entry = it->second;
    // use_count() 1: the store dropped the series; only this entry holds its labels.
    if (entry.labels.use_count() == 1 || entry.last_request < oldest_kept) {
      bytes_ -= entry_bytes(entry);
      it = entries_.erase(it);
      erased = true;
    } else {
      ++it;
    }
  }
  // last_order_ may point at erased entries; the next request starts afresh.
  if (erased) last_order_.clear();
}

}  // namespace mc
