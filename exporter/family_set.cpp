#include "exporter/family_set.hpp"

#include <algorithm>
#include <tuple>

namespace mc {

FamilySet::Entry& FamilySet::entry_for(std::string_view name) {
  if (auto it = index_.find(name); it != index_.end()) return *it->second;
  Entry& entry = entries_.emplace_back();
  entry.name = std::string(name);
  entry.family.metadata.family = entry.name;
  index_.emplace(entry.name, &entry);
  return entry;
}

void FamilySet::note_conflict(const std::string& name) {
  if (std::find(type_conflicts_.begin(), type_conflicts_.end(), name) == type_conflicts_.end()) {
    type_conflicts_.push_back(name);
  }
}

void FamilySet::add_registry_family(ExposedFamily family) {
  Entry& entry = entry_for(family.metadata.family);
  if (entry.has_stored_metadata && entry.family.metadata.type != family.metadata.type) {
    note_conflict(family.metadata.family);
  }
  if (!entry.from_registry) {
    entry.family.metadata = std::move(family.metadata);
    entry.family.metadata.family = entry.name;
    entry.from_registry = true;
  }
  auto& series = entry.family.series;
  series.insert(series.end(), std::make_move_iterator(family.series.begin()),
                std::make_move_iterator(family.series.end()));
}

void FamilySet::add_stored_series(const Labels& labels, const MetricMetadata* metadata,
                                  Sample sample) {
  if (is_stale_nan(sample.v)) return;
  std::string_view name = metadata ? openmetrics_family_name(*metadata) : labels.metric_name();
  Entry& entry = entry_for(name);
  if (metadata != nullptr) {
    if (entry.from_registry) {
      if (metadata->type != entry.family.metadata.type) note_conflict(entry.family.metadata.family);
    } else {
      // Compared in place: copying the metadata per series would cost three
      // string copies per series on every request.
      const MetricMetadata& kept = entry.family.metadata;
      if (!entry.has_stored_metadata || std::tie(metadata->type, metadata->help, metadata->unit) <
                                            std::tie(kept.type, kept.help, kept.unit)) {
        entry.family.metadata.type = metadata->type;
        entry.family.metadata.help = metadata->help;
        entry.family.metadata.unit = metadata->unit;
      }
    }
    entry.has_stored_metadata = true;
  }
  entry.family.series.push_back(ExposedSeries{labels, sample.v, sample.t_ms});
}

std::vector<ExposedFamily> FamilySet::take() {
  std::vector<ExposedFamily> families;
  families.reserve(entries_.size());
  for (auto& entry : entries_) families.push_back(std::move(entry.family));
  entries_.clear();
  index_.clear();
  return families;
}

}  // namespace mc
