// PromQL's functions that rewrite labels, as Prometheus 2.42 has them
// (promql/functions.go): label_replace and label_join. Both keep the metric
// name and the values; a label set to "" is removed.
//
// label_replace matches the whole source value with RE2 (anchored
// "^(?:regex)$", as Go's regexp there) and expands the replacement as Go's
// Regexp.Expand: $1, ${1}, $name, ${name}, $$ for a dollar; a reference to
// no group expands to nothing.
//
// FunctionImpls (function_call.hpp). Pure; safe from any thread.
#pragma once

#include "common/query/function_call.hpp"

namespace mc::query {

// label_replace(v, dst, replacement, src, regex). Fails, even for an empty
// vector, with "invalid regular expression in label_replace(): <regex>" or
// "invalid destination label name in label_replace(): <dst>".
Result<Vector> label_replace_function(const FunctionInput& input);
// label_join(v, dst, separator, src...). Fails with "invalid source label
// name in label_join(): <src>" or "invalid destination label name in
// label_join(): <dst>".
Result<Vector> label_join_function(const FunctionInput& input);

}  // namespace mc::query
