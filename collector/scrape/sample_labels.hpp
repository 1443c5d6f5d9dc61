// build_sample_labels: the final labels of a scraped sample, from what the
// target exposed and the target's own labels (job, instance, static labels),
// with Prometheus's honor_labels semantics:
//
// - honor_labels: true  — an exposed label wins; a target label is added only
//   where the sample does not have it.
// - honor_labels: false — the target label wins; the exposed value is kept
//   under "exported_<name>" (more "exported_" prefixes until the name is free).
//
// Labels with empty values are dropped, as Prometheus drops them.
#pragma once

#include <span>
#include <string_view>

#include "common/exposition/parser.hpp"
#include "common/model/labels.hpp"

namespace mc {

Labels build_sample_labels(std::string_view metric_name, std::span<const LabelView> exposed,
                           const Labels& target_labels, bool honor_labels);

}  // namespace mc
