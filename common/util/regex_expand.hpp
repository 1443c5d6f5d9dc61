// Go's Regexp.Expand over an RE2 match: a template such as "$1", "${1}x",
// "${name}" or "$$" with each reference replaced by what its group matched.
//
// PromQL's label_replace and relabeling's replace and labelmap actions both
// expand templates, and a template must mean the same in both, so there is
// one expansion. Go's rules are kept to the letter: "$1x" names the group
// "1x" (none, so it expands to nothing), a reference to no group expands to
// nothing, a malformed one ("$", "${x") leaves its '$' as text.
//
// Pure function; safe from any thread.
#pragma once

#include <re2/re2.h>

#include <string>
#include <string_view>
#include <vector>

namespace mc {

// `groups` are the submatches of `regex` (index 0 the whole match), as
// RE2::Match fills them; a group that did not take part has a null data().
std::string expand_regex_template(const re2::RE2& regex, std::string_view template_text,
                                  const std::vector<re2::StringPiece>& groups);

}  // namespace mc
