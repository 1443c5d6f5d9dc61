// Relabeling: a label set run through a list of rules, as Prometheus 2.42's
// relabel.Process. Targets go through their job's relabel_configs before they
// are scraped, series through metric_relabel_configs before they are stored;
// later remote write and alerts will too, so this is one engine for all.
//
// Every rule sees what the rules before it made. keep, drop, keepequal and
// dropequal decide whether the set goes on; replace, lowercase, uppercase and
// hashmod write one label; labelmap, labeldrop and labelkeep work on names.
// An empty value removes a label, as everywhere in Prometheus.
//
// Known difference: lowercase and uppercase map ASCII letters only, where Go's
// strings.ToLower/ToUpper map every Unicode letter.
//
// Pure function; safe from any thread.
#pragma once

#include <optional>
#include <span>

#include "common/model/labels.hpp"
#include "common/relabel/relabel_config.hpp"

namespace mc {

// The relabeled set, or nullopt when a rule dropped it.
std::optional<Labels> relabel(const Labels& labels, std::span<const RelabelConfig> rules);

// The same over a builder the caller holds (it may have set labels that are
// not in a Labels yet); false when a rule dropped the set.
bool relabel_builder(LabelsBuilder& builder, std::span<const RelabelConfig> rules);

}  // namespace mc
