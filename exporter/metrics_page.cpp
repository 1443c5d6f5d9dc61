#include "exporter/metrics_page.hpp"

#include <algorithm>
#include <tuple>

#include "common/exposition/escape.hpp"
#include "common/exposition/format_value.hpp"
#include "exporter/family_set.hpp"

namespace mc {

namespace {

bool has_suffix(std::string_view name, std::string_view family, std::string_view suffix) {
  return name.size() == family.size() + suffix.size() && name.starts_with(family) &&
         name.ends_with(suffix);
}

// Position of a sample inside its Metric, as the sorted writer orders them:
// buckets/quantiles (or the plain sample), _sum, _count, _created.
int suffix_rank(std::string_view family, std::string_view name) {
  if (name.size() == family.size()) return 0;
  if (has_suffix(name, family, "_sum") || has_suffix(name, family, "_gsum")) return 1;
  if (has_suffix(name, family, "_count") || has_suffix(name, family, "_gcount")) return 2;
  if (has_suffix(name, family, "_created")) return 3;
  return 0;  // _bucket, _total, _info
}

// OpenMetrics-only samples that text 0.0.4 writes as gauge families of their
// own after the main one, in this order (as prometheus_client does).
constexpr std::string_view kOpenMetricsOnlySuffixes[] = {"_created", "_gcount", "_gsum"};
constexpr int kNotOpenMetricsOnly = -1;

int openmetrics_only_suffix(std::string_view family, std::string_view name) {
  if (name.size() <= family.size()) return kNotOpenMetricsOnly;
  for (int i = 0; i < 3; ++i) {
    if (has_suffix(name, family, kOpenMetricsOnlySuffixes[i])) return i;
  }
  return kNotOpenMetricsOnly;
}

}  // namespace

MetricsPage::MetricsPage(std::vector<Label> external_labels, RowBuffers* buffers)
    : external_labels_(std::move(external_labels)),
      buffers_(buffers != nullptr ? buffers : &own_buffers_) {
  buffers_->added.clear();
  buffers_->family_index.clear();
  buffers_->grouped.clear();
}

MetricsPage::Family& MetricsPage::family_for(std::string_view key, std::string_view family_name) {
  if (auto it = by_key_.find(key); it != by_key_.end()) return *it->second;
  Family& family = families_.emplace_back();
  family.index = static_cast<uint32_t>(families_.size() - 1);
  family.key = std::string(key);
  family.metadata.family = std::string(family_name);
  by_key_.emplace(family.key, &family);
  return family;
}

void MetricsPage::note_conflict(const std::string& name) {
  if (std::find(type_conflicts_.begin(), type_conflicts_.end(), name) == type_conflicts_.end()) {
    type_conflicts_.push_back(name);
  }
}

void MetricsPage::add_registry_family(const ExposedFamily& exposed) {
  Family& family = family_for(family_key(exposed.metadata.family, exposed.metadata.type),
                              exposed.metadata.family);
  if (!family.from_registry) {
    family.metadata = exposed.metadata;
    family.from_registry = true;
  }
  for (const auto& series : exposed.series) {
    SeriesPrefix& prefix = own_prefix(*series.labels, {});  // no external labels: they describe us
    prefix.labels = series.labels;
    add_to_family(family, prefix, series.value,
                  series.timestamp_ms ? *series.timestamp_ms : kNoTimestamp);
  }
  family.registry_rows = family.row_count;
}

SeriesPrefix& MetricsPage::own_prefix(const Labels& labels,
                                      const std::vector<Label>& external_labels) {
  if (own_chunk_used_ == own_chunk_size_) {
    own_chunk_size_ = std::clamp<size_t>(2 * own_chunk_size_, 64, 4096);
    own_prefixes_.push_back(std::make_unique<SeriesPrefix[]>(own_chunk_size_));
    own_chunk_used_ = 0;
  }
  SeriesPrefix& prefix = own_prefixes_.back()[own_chunk_used_++];
  const size_t name_size = render_series_prefix(labels, external_labels, scratch_text_, prefix);
  prefix.text = own_texts_.store(scratch_text_);
  prefix.name = intern_name(own_names_, prefix.text.substr(0, name_size));
  return prefix;
}

void MetricsPage::add_to_family(Family& family, const SeriesPrefix& prefix, double value,
                                int64_t t_ms) {
  buffers_->added.push_back(Row{prefix.text, prefix.name, &prefix, value, t_ms});
  buffers_->family_index.push_back(family.index);
  ++family.row_count;
}

// The family of stored series with `metadata`, chosen once per interned
// metadata: FamilySet's rules (registry metadata wins, else the smallest).
MetricsPage::Family& MetricsPage::family_of_metadata(const MetricMetadata& metadata) {
  const std::string_view family_name = openmetrics_family_name(metadata);
  Family& family = family_for(family_key(family_name, metadata.type), family_name);
  if (family.from_registry) {
    if (metadata.type != family.metadata.type) note_conflict(family.metadata.family);
  } else {
    MetricMetadata& kept = family.metadata;
    if (!family.has_stored_metadata || std::tie(metadata.type, metadata.help, metadata.unit) <
                                           std::tie(kept.type, kept.help, kept.unit)) {
      if (!family.has_stored_metadata) kept.family = std::string(family_name);
      kept.type = metadata.type;
      kept.help = metadata.help;
      kept.unit = metadata.unit;
    }
  }
  family.has_stored_metadata = true;
  return family;
}

void MetricsPage::add_row(const SeriesPrefix& prefix, const MetricMetadata* metadata,
                          Sample sample) {
  if (is_stale_nan(sample.v)) return;
  Family* family = nullptr;
  if (metadata == nullptr) {
    // Unknown: a family named after the series, or the family of that key.
    const std::string_view name = *prefix.name;
    family = &family_for(name, name);
  } else if (metadata == last_metadata_) {
    family = last_family_;  // a target's series come family by family
  } else if (auto it = by_metadata_.find(metadata); it != by_metadata_.end()) {
    family = it->second;
  } else {
    family = &family_of_metadata(*metadata);
    by_metadata_.emplace(metadata, family);
  }
  if (metadata != nullptr) {
    last_metadata_ = metadata;
    last_family_ = family;
  }
  add_to_family(*family, prefix, sample.v, sample.t_ms);
}

void MetricsPage::add_stored_series(const SeriesPrefix& prefix, const MetricMetadata* metadata,
                                    Sample sample) {
  add_row(prefix, metadata, sample);
}

void MetricsPage::add_uncached_series(SharedLabels labels, const MetricMetadata* metadata,
                                      Sample sample) {
  if (is_stale_nan(sample.v)) return;
  SeriesPrefix& prefix = own_prefix(*labels, external_labels_);
  prefix.labels = std::move(labels);
  add_row(prefix, metadata, sample);
}

void MetricsPage::rename_openmetrics_counters() {
  // A counter `foo` and another family `foo`: the counter yields its name.
  for (auto& family : families_) {
    if (family.metadata.type != MetricType::counter) continue;
    auto other = by_key_.find(family.metadata.family);
    if (other == by_key_.end() || other->second == &family) continue;
    family.metadata.type = MetricType::unknown;
    family.metadata.family = family.key;
    family.metadata.unit.clear();  // a unit must end the family's name, and `_total` does
  }
}

// The family's rows without duplicates: a stored series equal to a meta-metric
// of the family, or (with external labels) equal to a series written before.
// The common case, neither, returns the rows themselves.
// Family by family, each family's rows in the order they were added (a
// counting sort by family index: the rows are copied once, never grown).
void MetricsPage::group_rows() {
  RowBuffers& buffers = *buffers_;
  std::vector<size_t> next(families_.size());
  size_t offset = 0;
  for (Family& family : families_) {
    next[family.index] = offset;
    family.rows = Rows();
    offset += family.row_count;
  }
  buffers.grouped.resize(buffers.added.size());
  for (size_t i = 0; i < buffers.added.size(); ++i) {
    buffers.grouped[next[buffers.family_index[i]]++] = buffers.added[i];
  }
  for (Family& family : families_) {
    // next[] now points past the family's rows.
    family.rows =
        Rows(buffers.grouped.data() + next[family.index] - family.row_count, family.row_count);
  }
}

MetricsPage::Rows MetricsPage::unique_rows(const Family& family, std::vector<Row>& scratch) {
  const bool against_all = !external_labels_.empty();
  if (!against_all && family.registry_rows == 0) return family.rows;
  if (!against_all) seen_texts_.clear();
  scratch.clear();
  for (const Row& row : family.rows) {
    if (seen_texts_.emplace(row.text, 0).second) scratch.push_back(row);
  }
  if (!against_all) seen_texts_.clear();
  return scratch;
}

void MetricsPage::write_row(const Row& row, ExpositionFormat format, std::string& out) {
  out += row.text;
  out += ' ';
  const bool openmetrics = format == ExpositionFormat::openmetrics;
  if (openmetrics) {
    append_openmetrics_float(out, row.value);
  } else {
    append_text_float(out, row.value);
  }
  if (row.t_ms != kNoTimestamp) {
    // Most series of a scrape share its timestamp: format it once.
    if (row.t_ms != last_timestamp_) {
      last_timestamp_text_.clear();
      if (openmetrics) {
        append_openmetrics_timestamp(last_timestamp_text_, row.t_ms);
      } else {
        append_text_timestamp(last_timestamp_text_, row.t_ms);
      }
      last_timestamp_ = row.t_ms;
    }
    out += ' ';
    out += last_timestamp_text_;
  }
  out += '\n';
  ++series_written_;
}

void MetricsPage::write_rows_in_order(Rows rows, ExpositionFormat format, BodyBuffer& out) {
  // A family's texts lie in store order among other families' texts: fetch
  // a few rows ahead so the copy does not wait on memory.
  constexpr size_t kTextAhead = 4;
  const size_t count = rows.size();
  for (size_t i = 0; i < count; ++i) {
    if (i + kTextAhead < count) __builtin_prefetch(rows[i + kTextAhead].text.data());
    write_row(rows[i], format, out.text());
    out.piece_done();
  }
}

void MetricsPage::write_text_family(const Family& family, Rows rows, BodyBuffer& out) {
  const std::string_view name = family.metadata.family;
  const MetricType type = family.metadata.type;
  // Counters and infos are named after their samples in text 0.0.4
  // (foo_total, foo_info); every other type after the family.
  const bool named_by_sample = type == MetricType::counter || type == MetricType::info;
  auto block_of = [&](const Row& row) {
    return named_by_sample ? std::string_view(*row.name) : name;
  };
  // Main blocks in order of first appearance; usually exactly one.
  std::vector<std::string_view> main_blocks;
  bool any_openmetrics_only = false;
  for (const Row& row : rows) {
    const std::string_view sample_name = *row.name;
    if (openmetrics_only_suffix(name, sample_name) != kNotOpenMetricsOnly) {
      any_openmetrics_only = true;
      continue;
    }
    if (!named_by_sample) {
      if (main_blocks.empty()) main_blocks.push_back(name);
      continue;
    }
    if (!main_blocks.empty() && main_blocks.back() == sample_name) continue;
    if (std::find(main_blocks.begin(), main_blocks.end(), sample_name) == main_blocks.end()) {
      main_blocks.push_back(sample_name);
    }
  }
  if (main_blocks.size() == 1 && !any_openmetrics_only) {
    append_metadata(out.text(), main_blocks.front(), text_type_name(type), family.metadata,
                    ExpositionFormat::prometheus_text);
    write_rows_in_order(rows, ExpositionFormat::prometheus_text, out);
    return;
  }
  for (const std::string_view block : main_blocks) {
    append_metadata(out.text(), block, text_type_name(type), family.metadata,
                    ExpositionFormat::prometheus_text);
    for (const Row& row : rows) {
      if (openmetrics_only_suffix(name, *row.name) != kNotOpenMetricsOnly) continue;
      if (block_of(row) != block) continue;
      write_row(row, ExpositionFormat::prometheus_text, out.text());
      out.piece_done();
    }
  }
  if (!any_openmetrics_only) return;
  for (int suffix = 0; suffix < 3; ++suffix) {
    bool header_written = false;
    for (const Row& row : rows) {
      if (openmetrics_only_suffix(name, *row.name) != suffix) continue;
      if (!header_written) {
        std::string block(name);
        block += kOpenMetricsOnlySuffixes[suffix];
        append_metadata(out.text(), block, "gauge", family.metadata,
                        ExpositionFormat::prometheus_text);
        header_written = true;
      }
      write_row(row, ExpositionFormat::prometheus_text, out.text());
      out.piece_done();
    }
  }
}

void MetricsPage::write_openmetrics_family(const Family& family, Rows rows, BodyBuffer& out) {
  const std::string_view name = family.metadata.family;
  MetricType type = family.metadata.type;
  auto fits = [&](const Row& row) { return series_fits_family(type, name, *row.name); };
  if (!std::all_of(rows.begin(), rows.end(), fits)) {
    // A text-format counter `foo` (no _total) cannot be an OpenMetrics
    // counter; as `unknown` it stays readable with its value intact.
    const bool all_named_as_family =
        std::all_of(rows.begin(), rows.end(), [&](const Row& row) { return *row.name == name; });
    if (all_named_as_family) type = MetricType::unknown;
  }
  // The fitting rows, each with its place: (Metric group, rank, bound).
  struct Placed {
    uint32_t group;
    int rank;
    double bound;
    const Row* row;
  };
  bool needs_grouping = type == MetricType::histogram || type == MetricType::gaugehistogram ||
                        type == MetricType::summary;
  if (!needs_grouping) {
    // One sample per Metric (gauges, counters without _created ...): store order.
    bool all_plain = true;
    for (const Row& row : rows) {
      if (!fits(row) || suffix_rank(name, *row.name) != 0) {
        all_plain = false;
        break;
      }
    }
    if (all_plain && !rows.empty()) {
      append_metadata(out.text(), name, metric_type_name(type), family.metadata,
                      ExpositionFormat::openmetrics);
      write_rows_in_order(rows, ExpositionFormat::openmetrics, out);
      return;
    }
  }
  std::vector<Placed> placed;
  placed.reserve(rows.size());
  for (const Row& row : rows) {
    if (!fits(row)) continue;
    const int rank = suffix_rank(name, *row.name);
    if (rank != 0) needs_grouping = true;  // e.g. a counter's _created
    const double bound = type == MetricType::summary ? row.prefix->quantile : row.prefix->le;
    placed.push_back(Placed{0, rank, bound, &row});
  }
  if (placed.empty()) return;
  if (needs_grouping) {
    // Groups numbered in order of first appearance; a hash collision between
    // different Metrics probes on to the next slot.
    std::unordered_map<uint64_t, uint32_t> group_of;
    std::vector<const SeriesPrefix*> first_of_group;
    group_of.reserve(placed.size());
    for (Placed& entry : placed) {
      const SeriesPrefix& prefix = *entry.row->prefix;
      for (uint64_t slot = prefix.metric_hash;; ++slot) {
        auto [it, inserted] = group_of.emplace(slot, static_cast<uint32_t>(first_of_group.size()));
        if (inserted) first_of_group.push_back(&prefix);
        if (inserted || same_metric(*first_of_group[it->second], prefix)) {
          entry.group = it->second;
          break;
        }
      }
    }
    std::sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
      if (a.group != b.group) return a.group < b.group;
      if (a.rank != b.rank) return a.rank < b.rank;
      if (a.bound != b.bound) return a.bound < b.bound;
      return a.row->text < b.row->text;
    });
  }
  append_metadata(out.text(), name, metric_type_name(type), family.metadata,
                  ExpositionFormat::openmetrics);
  for (size_t i = 0; i < placed.size(); ++i) {
    if (i + 4 < placed.size()) __builtin_prefetch(placed[i + 4].row->text.data());
    write_row(*placed[i].row, ExpositionFormat::openmetrics, out.text());
    out.piece_done();
  }
}

void MetricsPage::write(ExpositionFormat format, BodyBuffer& out) {
  if (format == ExpositionFormat::openmetrics) rename_openmetrics_counters();
  group_rows();
  std::vector<const Family*> order;
  order.reserve(families_.size());
  for (const auto& family : families_) {
    if (family.row_count != 0) order.push_back(&family);
  }
  std::sort(order.begin(), order.end(), [](const Family* a, const Family* b) {
    // Text 0.0.4 may hold a counter `foo` (written foo_total) and a gauge
    // `foo`: the type keeps their order fixed.
    return std::tie(a->metadata.family, a->metadata.type) <
           std::tie(b->metadata.family, b->metadata.type);
  });
  last_timestamp_ = kNoTimestamp;
  std::vector<Row> scratch;
  for (const Family* family : order) {
    if (!out.ok()) return;
    const Rows rows = unique_rows(*family, scratch);
    if (format == ExpositionFormat::openmetrics) {
      write_openmetrics_family(*family, rows, out);
    } else {
      write_text_family(*family, rows, out);
    }
  }
  if (format == ExpositionFormat::openmetrics) out.text() += "# EOF\n";
}

}  // namespace mc
