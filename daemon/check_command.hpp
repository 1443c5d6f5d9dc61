// `metrics-collector check exposition [--format=openmetrics|prometheus] < file`:
// validates an exposition read from standard input, the way `promtool check
// metrics` does. Exit status 0 when valid; 1 when invalid, with the parser's
// message (line and rule) on stderr; 2 for a usage error.
//
// `metrics-collector check config FILE...`: loads each config file as the
// daemon would, the way `promtool check config` does; exit 1 when any is
// invalid, with its file:line:col message on stderr.
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
