// Metadata of a metric family as an exposition declares it: TYPE, HELP and UNIT.
//
// Samples of one family have different series names (a histogram `foo` has
// `foo_bucket`, `foo_sum`, `foo_count`); each sample carries its family's
// metadata so that whoever re-exposes it can group the family back together.
#pragma once

#include <compare>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mc {

enum class MetricType {
  unknown,  // "untyped" in text format 0.0.4, "unknown" in OpenMetrics
  counter,
  gauge,
  histogram,
  gaugehistogram,
  summary,
  info,
  stateset,
};

// "counter", "gauge", ... as OpenMetrics spells them ("unknown" for unknown).
std::string_view metric_type_name(MetricType type);
// Accepts OpenMetrics names and the 0.0.4 name "untyped".
std::optional<MetricType> parse_metric_type(std::string_view name);

struct MetricMetadata {
  std::string family;  // the family name as in # TYPE, without sample suffixes
  MetricType type = MetricType::unknown;
  std::string help;  // unescaped
  std::string unit;  // OpenMetrics only; empty when absent

  // clang-tidy 14 flags the literal 0 inside the defaulted <=> (a false positive).
  // NOLINTNEXTLINE(modernize-use-nullptr)
  auto operator<=>(const MetricMetadata&) const = default;
};

// A hash of all four fields, for tables keyed by metadata.
size_t metadata_hash(const MetricMetadata& metadata);

}  // namespace mc
