// The regular expressions of label matchers, compiled the way Prometheus 2.42
// compiles them (labels.NewMatcher: regexp.Compile("^(?:" + re + ")$")):
// RE2, which has Go's regexp syntax and its linear-time matching, anchored
// as a whole so that "a|b" cannot match "xb", and "." not matching a newline.
//
// One place for that, so the store's Matcher and PromQL's LabelMatcher (and
// label_replace) cannot drift apart: the engine turns one into the other, and
// a selector must mean the same in both.
#pragma once

#include <memory>
#include <string_view>

#include "common/util/status.hpp"

namespace re2 {
class RE2;
}

namespace mc {

// Compiles `pattern` anchored. A pattern that does not compile fails with the
// message Go's regexp prints, e.g.
// "error parsing regexp: missing closing ): `^(?:(a)$`".
// The RE2 is immutable and safe to share between threads.
Result<std::shared_ptr<const re2::RE2>> compile_anchored_regex(std::string_view pattern);

}  // namespace mc
