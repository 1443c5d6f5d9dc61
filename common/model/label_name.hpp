// The classic Prometheus name rules, one place for the whole daemon: the config
// loader checks label names (and the SQL section's metric names) with them,
// the exposition parsers check family names with them.
//
//   metric name  [a-zA-Z_:][a-zA-Z0-9_:]*
//   label name   [a-zA-Z_][a-zA-Z0-9_]*
//
// Table lookups rather than <cctype>, whose functions depend on the C locale.
// Pure functions; safe from any thread.
#pragma once

#include <string_view>

namespace mc {

bool is_valid_metric_name(std::string_view name);
bool is_valid_label_name(std::string_view name);

}  // namespace mc
