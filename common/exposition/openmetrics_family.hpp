// OpenMetricsFamilyRules: the OpenMetrics 1.0 rules that span lines, applied
// as the lines of one exposition arrive in order.
//
// Private to common/exposition. The line grammar lives in the OpenMetrics
// parser; this class decides which family each sample belongs to, announces
// families to the handler, and enforces what the OpenMetrics conformance suite
// checks, following the decisions of its reference parser (prometheus/
// client_python openmetrics/parser.py):
//   - metadata (HELP, TYPE, UNIT) at most once per family, before its samples;
//   - a sample belongs to the current family when its name is the family name
//     plus one of the type's suffixes, otherwise it starts an unknown family;
//   - no name may be reused by a later family ("clashing names"), with the
//     type's suffixes reserved too (unless ParseOptions::allow_repeated_families);
//   - the samples of one series group (labels without le/quantile/the stateset
//     label) are contiguous, with timestamps on all or none, never going back;
//   - type rules: counter-like samples not NaN nor negative, info = 1, stateset
//     0 or 1, quantile and le labels valid, histogram buckets in le order with
//     non-decreasing counts, a +Inf bucket, _count equal to it, _sum/_count
//     together, negative buckets only without _sum, exemplars only on buckets
//     and counter _total samples;
//   - a UNIT is the suffix of the family name, and never on info or stateset.
//
// Thread-safety: none; one instance per parse.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/exposition/parse_number.hpp"
#include "common/exposition/parser.hpp"
#include "common/util/status.hpp"

namespace mc::exposition_detail {

enum class MetadataKind { help, type, unit };

class OpenMetricsFamilyRules {
 public:
  OpenMetricsFamilyRules(ExpositionHandler& handler, bool allow_repeated_families)
      : handler_(handler), allow_repeated_families_(allow_repeated_families) {}

  // `text` is everything after "# KIND name " (HELP still escaped).
  Status on_metadata(MetadataKind kind, std::string_view name, std::string_view text,
                     uint32_t line);

  // Assigns the sample to a family (filling `family` and `type`), checks it and
  // announces the family before its first sample. Does not call on_sample.
  Status on_sample(SampleView& sample, const std::optional<OpenMetricsNanos>& timestamp,
                   bool has_exemplar);

  // At "# EOF": closes the last family.
  Status finish(uint32_t line);

 private:
  struct Family {
    bool active = false;
    bool announced = false;
    bool has_samples = false;
    bool has_type = false;
    std::string_view name;
    MetricType type = MetricType::unknown;
    std::optional<std::string_view> help;
    std::optional<std::string_view> unit;
    uint32_t unit_line = 0;
  };

  // The histogram checks that need a whole group of buckets at one timestamp.
  struct HistogramRun {
    bool active = false;
    uint64_t group = 0;
    std::optional<OpenMetricsNanos> timestamp;
    bool has_bucket = false;
    double last_le = 0;
    double last_bucket_value = 0;
    std::optional<double> count;
    bool has_sum = false;
    bool has_gsum = false;
    bool has_negative_buckets = false;
    bool has_negative_gsum = false;
    uint32_t last_line = 0;
  };

  // Group keys as 64-bit hashes in a small open-addressing set; a collision
  // (odds ~2^-64 per pair) could only merge two groups' ordering checks.
  class GroupSet {
   public:
    bool contains(uint64_t key) const;
    void insert(uint64_t key);
    void clear();

   private:
    std::vector<uint64_t> slots_;
    size_t size_ = 0;
  };

  bool allows_sample_name(std::string_view sample_name) const;
  Status start_family(std::string_view name, uint32_t line);
  Status finish_family(uint32_t line);
  Status announce_family(uint32_t line);
  uint64_t group_of(const SampleView& sample) const;
  Status check_histogram_sample(const SampleView& sample, std::string_view suffix,
                                const std::optional<OpenMetricsNanos>& timestamp, uint64_t group);
  Status check_histogram_run(uint32_t line) const;

  ExpositionHandler& handler_;
  const bool allow_repeated_families_;
  Family family_;
  std::string help_scratch_;
  std::unordered_set<std::string> seen_names_;
  std::string name_key_;

  GroupSet seen_groups_;
  bool has_group_ = false;
  uint64_t group_ = 0;
  std::optional<OpenMetricsNanos> group_timestamp_;
  HistogramRun histogram_run_;
};

}  // namespace mc::exposition_detail
