// LabelLimits: Prometheus's label_limit, label_name_length_limit and
// label_value_length_limit for one job. A scraped series that breaks one
// fails its whole scrape, as in Prometheus; the check runs once per new
// series (cached series were checked when they were first seen).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/config/config.hpp"
#include "common/model/labels.hpp"

namespace mc {

struct LabelLimits {
  uint64_t label_count = 0;         // labels per series, __name__ and target labels included
  uint64_t label_name_length = 0;   // bytes
  uint64_t label_value_length = 0;  // bytes

  static LabelLimits of(const ScrapeConfig& job);
  bool any() const { return label_count != 0 || label_name_length != 0 || label_value_length != 0; }
};

// The violation in Prometheus's words, e.g. "label_limit exceeded (metric: x,
// number of labels: 12, limit: 10)"; nullopt when `labels` is within limits.
std::optional<std::string> label_limits_violation(const Labels& labels, const LabelLimits& limits);

}  // namespace mc
