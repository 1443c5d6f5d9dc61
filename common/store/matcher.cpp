#include "common/store/matcher.hpp"

#include <re2/re2.h>

#include <string_view>

#include "common/util/anchored_regex.hpp"

namespace mc {

namespace {

// A pattern without any of RE2's metacharacters matches only itself.
bool is_literal_pattern(std::string_view pattern) {
  return pattern.find_first_of(R"(\^$.|?*+()[]{})") == std::string_view::npos;
}

}  // namespace

Matcher::Matcher(Kind kind, std::string name, std::string value)
    : kind_(kind), name_(std::move(name)), value_(std::move(value)) {}

Result<Matcher> Matcher::make(Kind kind, std::string name, std::string value) {
  Matcher matcher(kind, std::move(name), std::move(value));
  if (kind != Kind::regex && kind != Kind::not_regex) return matcher;
  // A literal is compared as a string: cheaper, and identical to the anchored regex.
  if (is_literal_pattern(matcher.value_)) return matcher;
  auto regex = compile_anchored_regex(matcher.value_);
  if (!regex) {
    return Status::error("invalid regular expression \"" + matcher.value_ + "\" in matcher on \"" +
                         matcher.name_ + "\": " + regex.error());
  }
  matcher.regex_ = std::move(*regex);
  return matcher;
}

bool Matcher::matches(std::string_view label_value) const {
  switch (kind_) {
    case Kind::equal:
      return label_value == value_;
    case Kind::not_equal:
      return label_value != value_;
    case Kind::regex:
    case Kind::not_regex: {
      const bool matched = regex_ ? RE2::FullMatch(label_value, *regex_) : label_value == value_;
      return kind_ == Kind::regex ? matched : !matched;
    }
  }
  return false;
}

}  // namespace mc
