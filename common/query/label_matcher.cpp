#include "common/query/label_matcher.hpp"

#include <re2/re2.h>

#include "common/query/go_text.hpp"

namespace mc::query {
namespace {

// RE2 and Go's regexp/syntax share their parser's design; their error codes
// map one to one onto the texts Go prints.
std::string_view go_regexp_error_text(RE2::ErrorCode code) {
  switch (code) {
    case RE2::ErrorBadEscape:
      return "invalid escape sequence";
    case RE2::ErrorBadCharClass:
      return "invalid character class";
    case RE2::ErrorBadCharRange:
      return "invalid character class range";
    case RE2::ErrorMissingBracket:
      return "missing closing ]";
    case RE2::ErrorMissingParen:
      return "missing closing )";
    case RE2::ErrorUnexpectedParen:
      return "unexpected )";
    case RE2::ErrorTrailingBackslash:
      return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument:
      return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize:
      return "invalid repeat count";
    case RE2::ErrorRepeatOp:
      return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp:
      return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8:
      return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture:
      return "invalid named capture";
    case RE2::ErrorPatternTooLarge:
      return "expression too large";
    default:
      return "regexp/syntax: internal error";
  }
}

}  // namespace

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
    RE2::Options options;
    options.set_log_errors(false);
    options.set_dot_nl(false);
    auto regex = std::make_shared<RE2>("^(?:" + matcher.value_ + ")$", options);
    if (!regex->ok()) {
      return Status::error(
          "error parsing regexp: " + std::string(go_regexp_error_text(regex->error_code())) +
          ": `" + regex->error_arg() + "`");
    }
    matcher.regex_ = std::move(regex);
  }
  return matcher;
}

}  // namespace mc::query
