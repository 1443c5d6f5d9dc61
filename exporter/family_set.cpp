#include "exporter/family_set.hpp"

#include <algorithm>
#include <tuple>

namespace mc {

std::string family_key(std::string_view family_name, MetricType type) {
  std::string key(family_name);
  if (type == MetricType::counter) key += "_total";
  return key;
}

FamilySet::Entry& FamilySet::entry_for(std::string_view key, std::string_view family_name) {
  if (auto it = index_.find(key); it != index_.end()) return *it->second;
  Entry& entry = entries_.emplace_back();
  entry.name = std::string(key);
  entry.family.metadata.family = std::string(family_name);
  index_.emplace(entry.name, &entry);
  return entry;
}

void FamilySet::note_conflict(const std::string& name) {
  if (std::find(type_conflicts_.begin(), type_conflicts_.end(), name) == type_conflicts_.end()) {
    type_conflicts_.push_back(name);
  }
}

void FamilySet::add_registry_family(ExposedFamily family) {
  Entry& entry =
      entry_for(family_key(family.metadata.family, family.metadata.type), family.metadata.family);
  if (entry.has_stored_metadata && entry.family.metadata.type != family.metadata.type) {
    note_conflict(family.metadata.family);
  }
  if (!entry.from_registry) {
    entry.family.metadata = std::move(family.metadata);
    entry.from_registry = true;
  }
  auto& series = entry.family.series;
  series.insert(series.end(), std::make_move_iterator(family.series.begin()),
                std::make_move_iterator(family.series.end()));
}

void FamilySet::add_stored_series(SharedLabels labels, const MetricMetadata* metadata,
                                  Sample sample) {
  if (is_stale_nan(sample.v)) return;
  if (metadata == nullptr) {
    // Unknown: a family named after the series, or the family of that key.
    const std::string_view name = labels->metric_name();
    entry_for(name, name).family.series.emplace_back(std::move(labels), sample.v, sample.t_ms);
    return;
  }
  const std::string_view family_name = openmetrics_family_name(*metadata);
  Entry& entry = entry_for(family_key(family_name, metadata->type), family_name);
  if (entry.from_registry) {
    if (metadata->type != entry.family.metadata.type) note_conflict(entry.family.metadata.family);
  } else {
    // Compared in place: copying the metadata per series would cost three
    // string copies per series on every request.
    MetricMetadata& kept = entry.family.metadata;
    if (!entry.has_stored_metadata || std::tie(metadata->type, metadata->help, metadata->unit) <
                                          std::tie(kept.type, kept.help, kept.unit)) {
      // An entry first made by series without metadata is named after them.
      if (!entry.has_stored_metadata) kept.family = std::string(family_name);
      kept.type = metadata->type;
      kept.help = metadata->help;
      kept.unit = metadata->unit;
    }
  }
  entry.has_stored_metadata = true;
  entry.family.series.emplace_back(std::move(labels), sample.v, sample.t_ms);
}

std::vector<ExposedFamily> FamilySet::take(ExpositionFormat format) {
  if (format == ExpositionFormat::openmetrics) {
    // A counter `foo` and another family `foo`: the counter yields its name.
    for (auto& entry : entries_) {
      ExposedFamily& family = entry.family;
      if (family.metadata.type != MetricType::counter) continue;
      auto other = index_.find(family.metadata.family);
      if (other == index_.end() || other->second == &entry) continue;
      family.metadata.type = MetricType::unknown;
      family.metadata.family = entry.name;
      family.metadata.unit.clear();  // a unit must end the family's name, and `_total` does
    }
  }
  std::vector<ExposedFamily> families;
  families.reserve(entries_.size());
  for (auto& entry : entries_) families.push_back(std::move(entry.family));
  entries_.clear();
  index_.clear();
  return families;
}

}  // namespace mc
