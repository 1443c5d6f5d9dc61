#include "common/util/anchored_regex.hpp"

#include <re2/re2.h>

#include <string>

namespace mc {
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

Result<std::shared_ptr<const re2::RE2>> compile_anchored_regex(std::string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);  // the caller reports the error, with its context
  options.set_dot_nl(false);      // Prometheus 2.42; 3.0 made "." match "\n"
  std::string anchored;
  anchored.reserve(pattern.size() + 6);
  anchored.append("^(?:").append(pattern).append(")$");
  auto regex = std::make_shared<const RE2>(anchored, options);
  if (!regex->ok()) {
    return Status::error(
        "error parsing regexp: " + std::string(go_regexp_error_text(regex->error_code())) + ": `" +
        regex->error_arg() + "`");
  }
  return std::shared_ptr<const re2::RE2>(std::move(regex));
}

}  // namespace mc
