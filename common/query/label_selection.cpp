#include "common/query/label_selection.hpp"

#include <algorithm>
#include <cstdint>

namespace mc::query {
namespace {

// A length before each part, so that no two different label sets share a
// signature whatever bytes their values hold.
void append_part(std::string& out, std::string_view part) {
  const auto size = static_cast<uint32_t>(part.size());
  out.append(reinterpret_cast<const char*>(&size), sizeof size);
  out.append(part);
}

}  // namespace

LabelSelection::LabelSelection(bool only_named, std::vector<std::string> names)
    : only_named_(only_named), names_(std::move(names)) {
  std::sort(names_.begin(), names_.end());
}

bool LabelSelection::selects(std::string_view name) const {
  const bool named = std::binary_search(names_.begin(), names_.end(), name);
  if (only_named_) return named;
  return !named && name != kMetricNameLabel;
}

std::string LabelSelection::signature(const Labels& labels) const {
  std::string out;
  for (const LabelView label : labels) {
    if (!selects(label.name)) continue;
    append_part(out, label.name);
    append_part(out, label.value);
  }
  return out;
}

Labels LabelSelection::select(const Labels& labels) const {
  std::vector<Label> kept;
  for (const LabelView label : labels) {
    if (selects(label.name)) kept.push_back({std::string(label.name), std::string(label.value)});
  }
  return Labels(std::move(kept));
}

}  // namespace mc::query
