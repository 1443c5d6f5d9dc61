#include "exporter/series_prefix_cache.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <tuple>

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

size_t render_labels(const Labels& labels, std::string& text, SeriesPrefix& prefix) {
  text.clear();
  text += labels.metric_name();
  const size_t name_size = text.size();
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
  return name_size;
}

}  // namespace

size_t render_series_prefix(const Labels& labels, const std::vector<Label>& external_labels,
                            std::string& text, SeriesPrefix& prefix) {
  if (external_labels.empty()) return render_labels(labels, text, prefix);
  // As Prometheus's /federate: an external label is added where the series
  // does not carry that label itself.
  LabelsBuilder builder(labels);
  for (const auto& label : external_labels) {
    if (!labels.has(label.name)) builder.set(label.name, label.value);
  }
  return render_labels(builder.labels(), text, prefix);
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

const std::string* intern_name(InternedNames& names, std::string_view name) {
  auto it = names.find(name);
  if (it == names.end()) it = names.emplace(name).first;
  return &*it;
}

const std::string* SeriesPrefixCache::intern(std::string_view name) {
  const size_t before = names_.size();
  const std::string* interned = intern_name(names_, name);
  // A set node: the string, a next pointer, the cached hash; its bucket.
  if (names_.size() != before) {
    name_bytes_ += sizeof(std::string) + 3 * sizeof(void*) + name.size() + 1;
  }
  return interned;
}

const SeriesPrefix* SeriesPrefixCache::find_or_add(const SharedLabels& labels, bool& repeated) {
  repeated = false;
  SeriesPrefix* entry = nullptr;
  // The entries of the next few lookups, if the store keeps its order.
  constexpr size_t kEntryAhead = 8;
  if (next_ + kEntryAhead < last_order_.size())
    __builtin_prefetch(last_order_[next_ + kEntryAhead]);
  if (next_ < last_order_.size() && last_order_[next_]->labels.identity() == labels.identity()) {
    entry = last_order_[next_];
    ++next_;
    if (entry->last_request == requests_) {
      repeated = true;
      return entry;
    }
  } else if (auto it = entries_.find(labels.identity()); it != entries_.end()) {
    entry = &it->second;
    if (entry->last_request == requests_) {
      repeated = true;
      return entry;
    }
    // Series came and went before it: go on from its place in last order.
    if (entry->last_request + 1 == requests_) next_ = entry->position + 1;
  } else {
    if (bytes() >= max_bytes_) return nullptr;
    entry = &entries_[labels.identity()];
    entry->labels = labels;
    const size_t name_size = render_series_prefix(*labels, external_labels_, scratch_, *entry);
    entry->text = arena_.store(scratch_);
    entry->name = intern(entry->text.substr(0, name_size));
    live_text_bytes_ += entry->text.size();
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
      live_text_bytes_ -= entry.text.size();
      it = entries_.erase(it);
      erased = true;
    } else {
      ++it;
    }
  }
  // last_order_ may point at erased entries; the next request starts afresh.
  if (erased) last_order_.clear();
  if (arena_.bytes() > 2 * live_text_bytes_ + (size_t{64} << 10)) rebuild_arena();
}

void SeriesPrefixCache::rebuild_arena() {
  // In the order of the last request that asked for each entry (its
  // position), so the next requests read the new arena front to back.
  std::vector<SeriesPrefix*> order;
  order.reserve(entries_.size());
  for (auto& [key, entry] : entries_) order.push_back(&entry);
  std::sort(order.begin(), order.end(), [](const SeriesPrefix* a, const SeriesPrefix* b) {
    return std::tie(a->last_request, a->position) < std::tie(b->last_request, b->position);
  });
  TextArena arena;
  InternedNames names;
  names_.swap(names);
  name_bytes_ = 0;
  for (SeriesPrefix* entry : order) {
    const size_t name_size = entry->name->size();
    entry->text = arena.store(entry->text);
    entry->name = intern(entry->text.substr(0, name_size));
  }
  arena_ = std::move(arena);
}

}  // namespace mc
