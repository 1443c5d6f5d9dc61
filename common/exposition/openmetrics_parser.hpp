// OpenMetrics 1.0 text, line grammar: metadata lines, samples with labels,
// timestamps and exemplars, "# EOF" and nothing after it.
//
// Private to common/exposition; parse_exposition dispatches here. Cross-line
// rules are in OpenMetricsFamilyRules. Every line ends with "\n" except that
// "# EOF" may end the body without one; blank lines and free comments are
// errors. Timestamps are seconds (converted exactly to ms); exemplars are
// always validated and handed over only with ParseOptions::parse_exemplars.
//
// Thread-safety: a parse owns all its state.
#pragma once

#include <string_view>

#include "common/exposition/parser.hpp"
#include "common/util/status.hpp"

namespace mc::exposition_detail {

Status parse_openmetrics(std::string_view body, ExpositionHandler& handler,
                         const ParseOptions& options);

}  // namespace mc::exposition_detail
