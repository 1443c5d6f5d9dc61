#include "common/relabel/relabel.hpp"

#include <re2/re2.h>

#include <string>
#include <vector>

#include "common/model/label_name.hpp"
#include "common/relabel/hashmod.hpp"
#include "common/util/regex_expand.hpp"

namespace mc {

namespace {

std::string joined_source_values(const LabelsBuilder& builder, const RelabelConfig& rule) {
  std::string joined;
  for (size_t i = 0; i < rule.source_labels.size(); ++i) {
    if (i > 0) joined += rule.separator;
    joined += builder.get(rule.source_labels[i]);
  }
  return joined;
}

bool matches(const re2::RE2& regex, std::string_view text) {
  return regex.Match(text, 0, text.size(), re2::RE2::UNANCHORED, nullptr, 0);
}

// The submatches of `text`, or an empty vector when it does not match.
std::vector<re2::StringPiece> submatches(const re2::RE2& regex, std::string_view text) {
  std::vector<re2::StringPiece> groups(static_cast<size_t>(regex.NumberOfCapturingGroups()) + 1);
  if (!regex.Match(text, 0, text.size(), re2::RE2::UNANCHORED, groups.data(),
                   static_cast<int>(groups.size()))) {
    groups.clear();
  }
  return groups;
}

std::string ascii_case(std::string text, bool upper) {
  for (char& c : text) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

void replace(LabelsBuilder& builder, const RelabelConfig& rule, const std::string& value) {
  const auto groups = submatches(*rule.regex, value);
  if (groups.empty()) return;  // no match, no change
  const std::string target = expand_regex_template(*rule.regex, rule.target_label, groups);
  // A template that expands to no valid name (say "$1" on an empty group)
  // changes nothing, as in Prometheus.
  if (!is_valid_label_name(target)) return;
  builder.set(target, expand_regex_template(*rule.regex, rule.replacement, groups));
}

// labelmap, labeldrop and labelkeep go over the labels as they stand before
// the rule; the builder takes the changes.
void map_label_names(LabelsBuilder& builder, const RelabelConfig& rule) {
  const Labels before = builder.labels();
  for (const LabelView label : before) {
    const bool matched = matches(*rule.regex, label.name);
    switch (rule.action) {
      case RelabelAction::labelmap:
        if (matched) {
          const std::string name = expand_regex_template(*rule.regex, rule.replacement,
                                                         submatches(*rule.regex, label.name));
          // Prometheus would set a label with no valid name; we leave it out
          // rather than store a series no query could name.
          if (is_valid_label_name(name)) builder.set(name, label.value);
        }
        break;
      case RelabelAction::labeldrop:
        if (matched) builder.remove(label.name);
        break;
      case RelabelAction::labelkeep:
        if (!matched) builder.remove(label.name);
        break;
      default:
        break;
    }
  }
}

// One rule; false when it drops the set.
bool apply(LabelsBuilder& builder, const RelabelConfig& rule) {
  const std::string value = joined_source_values(builder, rule);
  switch (rule.action) {
    case RelabelAction::drop:
      return !matches(*rule.regex, value);
    case RelabelAction::keep:
      return matches(*rule.regex, value);
    case RelabelAction::dropequal:
      return builder.get(rule.target_label) != value;
    case RelabelAction::keepequal:
      return builder.get(rule.target_label) == value;
    case RelabelAction::replace:
      replace(builder, rule, value);
      return true;
    case RelabelAction::lowercase:
      builder.set(rule.target_label, ascii_case(value, /*upper=*/false));
      return true;
    case RelabelAction::uppercase:
      builder.set(rule.target_label, ascii_case(value, /*upper=*/true));
      return true;
    case RelabelAction::hashmod:
      builder.set(rule.target_label, std::to_string(hashmod(value, rule.modulus)));
      return true;
    case RelabelAction::labelmap:
    case RelabelAction::labeldrop:
    case RelabelAction::labelkeep:
      map_label_names(builder, rule);
      return true;
  }
  return true;
}

}  // namespace

bool relabel_builder(LabelsBuilder& builder, std::span<const RelabelConfig> rules) {
  for (const RelabelConfig& rule : rules) {
    if (!apply(builder, rule)) return false;
  }
  return true;
}

std::optional<Labels> relabel(const Labels& labels, std::span<const RelabelConfig> rules) {
  if (rules.empty()) return labels;
  LabelsBuilder builder(labels);
  if (!relabel_builder(builder, rules)) return std::nullopt;
  return builder.labels();
}

}  // namespace mc
