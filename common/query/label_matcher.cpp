#include "common/query/label_matcher.hpp"

#include <re2/re2.h>

#include "common/query/go_text.hpp"
#include "common/util/anchored_regex.hpp"

namespace mc::query {

std::string_view match_type_text(MatchType type) {
  switch (type) {
    case MatchType::Equal:
      return "=";
    case MatchType::NotEqual:
      return "!=";
    case MatchType::Regex:
      return "=~";
    case MatchType::NotRegex:
      return "!~";
  }
  return "=";
}

bool LabelMatcher::matches(std::string_view value) const {
  switch (type_) {
    case MatchType::Equal:
      return value == value_;
    case MatchType::NotEqual:
      return value != value_;
    case MatchType::Regex:
      return RE2::FullMatch(value, *regex_);
    case MatchType::NotRegex:
      return !RE2::FullMatch(value, *regex_);
  }
  return false;
}

std::string LabelMatcher::to_string() const {
  return name_ + std::string(match_type_text(type_)) + go_quote(value_);
}

Result<LabelMatcher> make_label_matcher(MatchType type, std::string name, std::string value) {
  LabelMatcher matcher;
  matcher.type_ = type;
  matcher.name_ = std::move(name);
  matcher.value_ = std::move(value);
  if (type == MatchType::Regex || type == MatchType::NotRegex) {
    auto regex = compile_anchored_regex(matcher.value_);
    if (!regex) return regex.status();
    matcher.regex_ = std::move(*regex);
  }
  return matcher;
}

}  // namespace mc::query
