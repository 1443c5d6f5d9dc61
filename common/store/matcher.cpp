#include "common/store/matcher.hpp"

#include <string_view>

namespace mc {

namespace {

// Characters that make a pattern more than a literal in ECMAScript syntax.
bool is_literal_pattern(std::string_view pattern) {
  return pattern.find_first_of(R"(\^$.|?*+()[]{})") == std::string_view::npos;
}

// Prometheus 3 lets "." match "\n" too (prometheus/prometheus#7859, RE2 flag
// "s"); ECMAScript's "." never does, so an unescaped "." outside a bracket
// expression becomes "[\s\S]".
std::string dot_matches_newline(std::string_view pattern) {
  std::string out;
  out.reserve(pattern.size() + 8);
  bool in_brackets = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      out += c;
      out += pattern[++i];
      continue;
    }
    if (in_brackets) {
      if (c == ']') in_brackets = false;
    } else if (c == '[') {
      in_brackets = true;
    } else if (c == '.') {
      out += "[\\s\\S]";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

Matcher::Matcher(Kind kind, std::string name, std::string value)
    : kind_(kind), name_(std::move(name)), value_(std::move(value)) {}

Result<Matcher> Matcher::make(Kind kind, std::string name, std::string value) {
  Matcher matcher(kind, std::move(name), std::move(value));
  if (kind != Kind::regex && kind != Kind::not_regex) return matcher;
  // A literal pattern is compared as a string: cheaper, and identical to the
  // anchored regex. ".*" is common in selectors and matches everything.
  if (is_literal_pattern(matcher.value_) || matcher.value_ == ".*") return matcher;
  try {
    // Anchored as Prometheus does ("^(?:" + pattern + ")$"), so that
    // alternations such as "a|b" are anchored as a whole.
    matcher.regex_ =
        std::make_shared<const std::regex>("^(?:" + dot_matches_newline(matcher.value_) + ")$",
                                           std::regex::ECMAScript | std::regex::optimize);
  } catch (const std::regex_error& error) {
    return Status::error("invalid regular expression \"" + matcher.value_ + "\" in matcher on \"" +
                         matcher.name_ + "\": " + error.what());
  }
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
      bool matched;
      if (regex_) {
        matched = std::regex_match(label_value.begin(), label_value.end(), *regex_);
      } else if (value_ == ".*") {
        matched = true;
      } else {
        matched = label_value == value_;
      }
      return kind_ == Kind::regex ? matched : !matched;
    }
  }
  return false;
}

}  // namespace mc
