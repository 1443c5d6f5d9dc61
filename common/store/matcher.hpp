// Label matchers as in PromQL selectors: =, !=, =~, !~.
//
// Regular expressions are RE2 (Go's syntax, linear-time matching), fully
// anchored and with "." not matching a newline, as in Prometheus 2.42
// (`=~"a.*"` matches "abc" but not "xabc"); see anchored_regex.hpp. A matcher
// on a missing label sees the empty string.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/util/status.hpp"

namespace re2 {
class RE2;
}

namespace mc {

class Matcher {
 public:
  enum class Kind { equal, not_equal, regex, not_regex };

  // Fails with a message when `value` is not a valid regular expression.
  static Result<Matcher> make(Kind kind, std::string name, std::string value);

  Kind kind() const { return kind_; }
  const std::string& name() const { return name_; }
  const std::string& value() const { return value_; }
  bool matches(std::string_view label_value) const;

 private:
  Matcher(Kind kind, std::string name, std::string value);

  Kind kind_;
  std::string name_;
  std::string value_;
  // Set for regex kinds unless the pattern is a literal; shared so Matcher
  // copies cheaply.
  std::shared_ptr<const re2::RE2> regex_;
};

}  // namespace mc
