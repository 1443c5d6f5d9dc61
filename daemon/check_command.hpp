// `metrics-collector check exposition [--format=openmetrics|prometheus] < file`:
// validates an exposition read from standard input, the way `promtool check
// metrics` does. Exit status 0 when valid; 1 when invalid, with the parser's
// message (line and rule) on stderr; 2 for a usage error. Text 0.0.4 gets
// promtool's verdict (check_text_as_promtool), which differs from what
// Prometheus's scraper, and ours, accept; a "note:" on stderr says when the
// scraper would decide otherwise (e.g. a negative timestamp: promtool accepts,
// the scraper gives up 0). Lint problems (a missing HELP) are not checked.
//
// `metrics-collector check config [--web.config.file=FILE] FILE...`: checks
// what the daemon checks at start, the way `promtool check config` does: each
// config file (every error, file:line:col, on stderr; warnings too), its SQL
// DSNs (variables set, files readable, parsable), METRICS_TICK_DURATION and
// the web config file. Exit 0 when all is well, else 2, the daemon's status
// for the same problems (promtool exits 1); `--help` prints the usage.
#pragma once

#include <istream>
#include <ostream>
#include <span>
#include <string_view>

namespace mc {

// `args` are the words after "check" (e.g. {"exposition", "--format=openmetrics"}).
int run_check_command(std::span<const std::string_view> args, std::istream& in, std::ostream& out,
                      std::ostream& err);

}  // namespace mc
