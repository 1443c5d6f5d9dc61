#include "common/relabel/relabel_config.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

#include "common/model/label_name.hpp"
#include "common/util/anchored_regex.hpp"

namespace mc {

namespace {

constexpr std::array<std::pair<RelabelAction, std::string_view>, 11> kActionNames = {{
    {RelabelAction::replace, "replace"},
    {RelabelAction::keep, "keep"},
    {RelabelAction::drop, "drop"},
    {RelabelAction::keepequal, "keepequal"},
    {RelabelAction::dropequal, "dropequal"},
    {RelabelAction::hashmod, "hashmod"},
    {RelabelAction::labelmap, "labelmap"},
    {RelabelAction::labeldrop, "labeldrop"},
    {RelabelAction::labelkeep, "labelkeep"},
    {RelabelAction::lowercase, "lowercase"},
    {RelabelAction::uppercase, "uppercase"},
}};

// Prometheus's relabelTarget: a label name in which "$name" and "${name}"
// references may stand for letters, since they are expanded per series.
bool is_valid_label_template(std::string_view text) {
  static const RE2 kTemplate(R"(^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$)");
  return RE2::FullMatch(text, kTemplate);
}

bool is_one_of(RelabelAction action, std::initializer_list<RelabelAction> actions) {
  return std::find(actions.begin(), actions.end(), action) != actions.end();
}

// The checks of Prometheus 2.42's relabel.Config, in its order, so the first
// error is the one Prometheus reports.
Status validate(const RelabelConfig& rule, const RelabelRuleFields& fields) {
  using enum RelabelAction;
  const RelabelAction action = rule.action;
  const std::string_view name = relabel_action_name(action);
  if (action == hashmod && rule.modulus == 0) {
    return Status::error("relabel configuration for hashmod requires non-zero modulus");
  }
  if (is_one_of(action, {replace, hashmod, lowercase, uppercase, keepequal, dropequal}) &&
      rule.target_label.empty()) {
    return Status::error(
        fmt::format("relabel configuration for {} action requires 'target_label' value", name));
  }
  if (is_one_of(action, {replace, lowercase, uppercase, keepequal, dropequal}) &&
      !is_valid_label_template(rule.target_label)) {
    return Status::error(
        fmt::format("{:?} is invalid 'target_label' for {} action", rule.target_label, name));
  }
  if (is_one_of(action, {lowercase, uppercase, keepequal, dropequal}) &&
      rule.replacement != kDefaultRelabelReplacement) {
    return Status::error(fmt::format("'replacement' can not be set for {} action", name));
  }
  if (action == labelmap && !is_valid_label_template(rule.replacement)) {
    return Status::error(
        fmt::format("{:?} is invalid 'replacement' for {} action", rule.replacement, name));
  }
  if (action == hashmod && !is_valid_label_name(rule.target_label)) {
    return Status::error(
        fmt::format("{:?} is invalid 'target_label' for {} action", rule.target_label, name));
  }
  // Prometheus compares the regex by identity with its default, so any regex
  // written out (even "(.*)") counts as set.
  if (is_one_of(action, {keepequal, dropequal}) &&
      (fields.regex.has_value() || rule.modulus != 0 ||
       rule.separator != kDefaultRelabelSeparator ||
       rule.replacement != kDefaultRelabelReplacement)) {
    return Status::error(fmt::format(
        "{} action requires only 'source_labels' and `target_label`, and no other fields", name));
  }
  if (is_one_of(action, {labeldrop, labelkeep}) &&
      (fields.source_labels.has_value() || !rule.target_label.empty() || rule.modulus != 0 ||
       rule.separator != kDefaultRelabelSeparator ||
       rule.replacement != kDefaultRelabelReplacement)) {
    return Status::error(fmt::format("{} action requires only 'regex', and no other fields", name));
  }
  return Status::ok();
}

}  // namespace

std::string_view relabel_action_name(RelabelAction action) {
  for (const auto& [candidate, name] : kActionNames) {
    if (candidate == action) return name;
  }
  return "unknown";
}

std::optional<RelabelAction> parse_relabel_action(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  for (const auto& [action, name] : kActionNames) {
    if (name == lower) return action;
  }
  return std::nullopt;
}

bool RelabelConfig::operator==(const RelabelConfig& other) const {
  return source_labels == other.source_labels && separator == other.separator &&
         regex_text == other.regex_text && modulus == other.modulus &&
         target_label == other.target_label && replacement == other.replacement &&
         action == other.action;
}

Result<RelabelConfig> make_relabel_config(const RelabelRuleFields& fields) {
  RelabelConfig rule;
  if (fields.action) {
    auto action = parse_relabel_action(*fields.action);
    if (!action) return Status::error(fmt::format("unknown relabel action {:?}", *fields.action));
    rule.action = *action;
  }
  if (fields.source_labels) {
    for (const auto& name : *fields.source_labels) {
      if (!is_valid_label_name(name)) {
        return Status::error(fmt::format("{:?} is not a valid label name", name));
      }
    }
    rule.source_labels = *fields.source_labels;
  }
  if (fields.separator) rule.separator = *fields.separator;
  if (fields.regex) rule.regex_text = *fields.regex;
  if (fields.modulus) rule.modulus = *fields.modulus;
  if (fields.target_label) rule.target_label = *fields.target_label;
  if (fields.replacement) rule.replacement = *fields.replacement;
  auto regex = compile_anchored_regex(rule.regex_text);
  if (!regex) return regex.status();
  rule.regex = std::move(*regex);
  if (Status valid = validate(rule, fields); !valid) return valid;
  return rule;
}

}  // namespace mc
