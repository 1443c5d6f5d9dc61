// A label matcher of a PromQL selector (labels.Matcher of Prometheus 2.42):
// =, !=, =~, !~. Regexes are RE2, fully anchored as Prometheus anchors them,
// "^(?:<regex>)$", and "." does not match a newline, as in 2.42.
//
// Immutable after make_label_matcher; safe to share between threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/util/status.hpp"

namespace re2 {
class RE2;
}

namespace mc::query {

enum class MatchType { Equal, NotEqual, Regex, NotRegex };

// "=", "!=", "=~", "!~".
std::string_view match_type_text(MatchType type);

class LabelMatcher {
 public:
  MatchType type() const { return type_; }
  const std::string& name() const { return name_; }
  const std::string& value() const { return value_; }

  bool matches(std::string_view value) const;
  // name, operator and Go-quoted value: job=~"api|web".
  std::string to_string() const;

 private:
  friend Result<LabelMatcher> make_label_matcher(MatchType type, std::string name,
                                                 std::string value);
  MatchType type_ = MatchType::Equal;
  std::string name_;
  std::string value_;
  std::shared_ptr<const re2::RE2> regex_;  // for =~ and !~
};

// Fails for a regex that does not compile, with Go's message:
// "error parsing regexp: missing closing ): `^(?:(a)$`".
Result<LabelMatcher> make_label_matcher(MatchType type, std::string name, std::string value);

}  // namespace mc::query
