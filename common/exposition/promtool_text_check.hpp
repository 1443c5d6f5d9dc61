// check_text_as_promtool: says whether `promtool check metrics` of Prometheus
// 2.42 would reject a text 0.0.4 body as unparsable (its exit status 1), and
// why. Lint problems (missing HELP, naming conventions; promtool's exit status
// 3) are not errors here: they do not stop a page from being read.
//
// promtool reads the page with prometheus/common's expfmt.TextParser, not with
// the scrape parser the daemon uses (text_parser.hpp, after Prometheus's own
// scraper), and the two disagree: expfmt rejects a second TYPE or HELP line of
// a family, a label named __name__, a missing final line break, a blank after
// the value, escapes other than \\ \n \" in label values, raw line breaks in
// label values, le/quantile values that are not numbers; it accepts negative
// and signed timestamps, TYPE words in any case, "#TYPE" without a blank. This
// is a port of that state machine (the version Debian's promtool 2.42 is built
// with), checking only; tests/data/exposition_fidelity/ holds the cases with
// the real promtool's verdicts.
//
// Thread-safety: pure function.
#pragma once

#include <string_view>

#include "common/util/status.hpp"

namespace mc {

// OK when promtool would parse `body`; otherwise "line L:C: <expfmt's message>".
Status check_text_as_promtool(std::string_view body);

}  // namespace mc
