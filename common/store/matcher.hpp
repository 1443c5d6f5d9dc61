// Label matchers as in PromQL selectors: =, !=, =~, !~.
//
// Regular expressions are fully anchored, as in Prometheus (`=~"a.*"` matches
// "abc" but not "xabc"). A matcher on a missing label sees the empty string.
#pragma once

#include <memory>
#include <regex>
#include <string>
#include <string_view>

#include "common/util/status.hpp"

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
  std::shared_ptr<const std::regex>
      regex_;  // set for regex kinds; shared so Matcher copies cheaply
};

}  // namespace mc
