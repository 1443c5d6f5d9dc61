#include "collector/scrape/sample_labels.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace mc {

namespace {

bool exposed_has(std::span<const LabelView> exposed, std::string_view name) {
  return std::any_of(exposed.begin(), exposed.end(),
                     [&](const LabelView& l) { return l.name == name && !l.value.empty(); });
}

std::string_view exposed_get(std::span<const LabelView> exposed, std::string_view name) {
  for (const auto& label : exposed) {
    if (label.name == name) return label.value;
  }
  return {};
}

}  // namespace

Labels build_sample_labels(std::string_view metric_name, std::span<const LabelView> exposed,
                           const Labels& target_labels, bool honor_labels) {
  std::vector<Label> labels;
  labels.reserve(exposed.size() + target_labels.size() + 1);
  labels.push_back(Label{std::string(kMetricNameLabel), std::string(metric_name)});
  for (const auto& label : exposed) {
    if (label.value.empty() || label.name == kMetricNameLabel) continue;
    labels.push_back(Label{std::string(label.name), std::string(label.value)});
  }
  LabelsBuilder builder(Labels(std::move(labels)));

  if (honor_labels) {
    for (const auto& label : target_labels) {
      if (!exposed_has(exposed, label.name)) builder.set(label.name, label.value);
    }
    return builder.labels();
  }

  std::vector<Label> conflicting;
  for (const auto& label : target_labels) {
    auto exposed_value = exposed_get(exposed, label.name);
    if (!exposed_value.empty()) {
      conflicting.push_back(Label{std::string(label.name), std::string(exposed_value)});
    }
    builder.set(label.name, label.value);
  }
  // Shorter names are renamed first, so "exported_job" from job does not collide
  // with a renamed "exported_exported_job"; the same order Prometheus uses.
  std::stable_sort(conflicting.begin(), conflicting.end(),
                   [](const Label& a, const Label& b) { return a.name.size() < b.name.size(); });
  for (size_t i = 0; i < conflicting.size(); ++i) {
    std::string name = conflicting[i].name;
    for (;;) {
      name.insert(0, "exported_");
      bool taken = exposed_has(exposed, name) || target_labels.has(name) ||
                   std::any_of(conflicting.begin(), conflicting.begin() + static_cast<long>(i),
                               [&](const Label& l) { return l.name == name; });
      if (!taken) break;
    }
    conflicting[i].name = name;
  }
  for (const auto& label : conflicting) builder.set(label.name, label.value);
  return builder.labels();
}

}  // namespace mc
