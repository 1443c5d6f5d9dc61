// api_match_params: the `match[]` series selectors of /api/v1/series,
// /labels, /label/<name>/values and /federate, read as Prometheus 2.42's
// parseMatchersParam: each must be a plain selector (`up`, `{job="api"}`,
// `up{job=~"a.*"}`: no offset, @, range or operator), and each needs at least
// one matcher that does not match the empty string.
//
// Errors, for the caller to put after `invalid parameter "match[]": `:
//   "1:4: parse error: unexpected end of input inside braces"   (the parser's)
//   "1:4: parse error: unexpected \"(\""   (`sum(up)`: more than a selector)
//   "match[] must contain at least one non-empty matcher"
//
// Pure function; safe from any thread.
#pragma once

#include <string_view>
#include <vector>

#include "common/store/matcher.hpp"
#include "common/util/status.hpp"

namespace mc::api {

using MatcherSet = std::vector<Matcher>;

// One set of store matchers per selector, in the order given.
Result<std::vector<MatcherSet>> parse_match_params(const std::vector<std::string_view>& selectors);

}  // namespace mc::api
