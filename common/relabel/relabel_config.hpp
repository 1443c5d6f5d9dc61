// One rule of `relabel_configs` / `metric_relabel_configs`, as Prometheus
// 2.42's relabel.Config: its action, the fields the action reads, the
// defaults Prometheus fills in, and the checks its Validate() makes, with
// Prometheus's own error texts, so a rule Prometheus refuses is refused here
// with the same words and a rule it takes means the same here.
//
// RelabelRuleFields is what a config file wrote (a field absent is empty);
// make_relabel_config() fills the defaults, compiles the regex anchored and
// checks the rule. The config loader adds where the rule is (file:line).
//
// Thread-safety: a RelabelConfig is immutable and may be shared.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/status.hpp"

namespace re2 {
class RE2;
}

namespace mc {

enum class RelabelAction {
  replace,
  keep,
  drop,
  keepequal,
  dropequal,
  hashmod,
  labelmap,
  labeldrop,
  labelkeep,
  lowercase,
  uppercase,
};

// The action's name as Prometheus writes it ("hashmod").
std::string_view relabel_action_name(RelabelAction action);
// Case-insensitive, as Prometheus reads it; nullopt for no action of 2.42.
std::optional<RelabelAction> parse_relabel_action(std::string_view text);

inline constexpr std::string_view kDefaultRelabelSeparator = ";";
inline constexpr std::string_view kDefaultRelabelRegex = "(.*)";
inline constexpr std::string_view kDefaultRelabelReplacement = "$1";

// The fields as written; nullopt for a field the rule leaves out.
struct RelabelRuleFields {
  std::optional<std::vector<std::string>> source_labels;
  std::optional<std::string> separator;
  std::optional<std::string> regex;
  std::optional<uint64_t> modulus;
  std::optional<std::string> target_label;
  std::optional<std::string> replacement;
  std::optional<std::string> action;  // as written; case does not matter
};

struct RelabelConfig {
  std::vector<std::string> source_labels;
  std::string separator{kDefaultRelabelSeparator};
  std::string regex_text{kDefaultRelabelRegex};  // as written, without the anchors
  std::shared_ptr<const re2::RE2> regex;         // regex_text anchored; never null once made
  uint64_t modulus = 0;
  std::string target_label;
  std::string replacement{kDefaultRelabelReplacement};
  RelabelAction action = RelabelAction::replace;

  // Same rule: the regex compared by its text.
  bool operator==(const RelabelConfig& other) const;
};

// The rule with Prometheus's defaults, or the first error Prometheus 2.42
// would give for it (e.g. "relabel configuration for hashmod requires
// non-zero modulus").
Result<RelabelConfig> make_relabel_config(const RelabelRuleFields& fields);

}  // namespace mc
