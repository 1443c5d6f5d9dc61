// FamilySet: gathers the families of one /metrics response from two sources,
// the meta-metrics registry and the store, into one family per name.
//
// A family is keyed by the name text 0.0.4 gives it: the OpenMetrics family
// name (openmetrics_family_name), but `foo_total` for a counter `foo`. So a
// family the daemon scrapes from its own /metrics/self lands in the same entry
// as its registry original and is written as ONE block (one HELP/TYPE)
// holding both sets of series; and a gauge `foo` beside a counter `foo_total`
// (node_exporter's go_memstats_alloc_bytes and go_memstats_alloc_bytes_total)
// stays two families, as the target exposed them. OpenMetrics cannot name both
// `foo`: there take() writes the counter as an `unknown` family `foo_total`,
// which keeps its samples and values (its _created samples do not fit and are
// left out). On a type conflict within one key the registry's metadata wins
// and the family's name is reported by type_conflicts(); the writer then drops
// stored series whose names do not fit the registry's type.
//
// Among stored series of one family that carry different metadata (two
// targets disagreeing on HELP), the smallest metadata wins, so the output does
// not depend on the order in which the store hands series out. Series without
// metadata form an `unknown` family named after the series, or join the family
// of that name if there is one.
//
// Thread-safety: none; one FamilySet serves one request.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/exposition/writer.hpp"
#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/model/sample_value.hpp"
#include "common/model/shared_labels.hpp"

namespace mc {

// The text 0.0.4 name of a family ("foo" counter -> "foo_total"): the key by
// which scraped and registry families merge, here and in MetricsPage.
std::string family_key(std::string_view family_name, MetricType type);

class FamilySet {
 public:
  // REQUIRES: family.metadata.family is an OpenMetrics family name.
  void add_registry_family(ExposedFamily family);
  // Adds one stored series, sharing its labels. StaleNaN points are ignored.
  void add_stored_series(SharedLabels labels, const MetricMetadata* metadata, Sample sample);

  // The families gathered so far, named for `format`; leaves the set empty.
  std::vector<ExposedFamily> take(ExpositionFormat format);
  // Names of families whose stored type differed from the registry's.
  const std::vector<std::string>& type_conflicts() const { return type_conflicts_; }

 private:
  struct Entry {
    std::string name;  // the index key (see the top); never changes, unlike family.metadata
    ExposedFamily family;
    bool from_registry = false;
    bool has_stored_metadata = false;
  };

  Entry& entry_for(std::string_view key, std::string_view family_name);
  void note_conflict(const std::string& name);

  std::deque<Entry> entries_;  // a deque keeps entries in place, so index_ may view Entry::name
  std::unordered_map<std::string_view, Entry*> index_;
  std::vector<std::string> type_conflicts_;
};

}  // namespace mc
