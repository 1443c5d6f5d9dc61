// Prometheus text format 0.0.4, read the way Prometheus's scrape parser
// (model/textparse promlexer + PromParser) reads it.
//
// Private to common/exposition; parse_exposition dispatches here. Permissive
// where Prometheus is: blank lines, free comments, whitespace between tokens,
// optional commas between labels, a trailing comma, no "# EOF". Strict where
// Prometheus fails a scrape: a line that is neither a comment nor a sample,
// bad label syntax, a value Go's ParseFloat rejects, a timestamp that is not
// integer milliseconds, invalid UTF-8 in label values or HELP, duplicate
// label names, a label named __name__ in the braces, blanks before a metric
// name (Prometheus reads them as part of it), a TYPE other than
// counter/gauge/histogram/summary/untyped. A second TYPE or HELP line of a
// family is not an error to Prometheus's scraper, nor here (it is to
// promtool: promtool_text_check.hpp).
//
// Families: # HELP / # TYPE name one; its samples are the ones Prometheus
// assigns to it (histogram foo: foo_bucket, foo_sum, foo_count; summary foo:
// foo, foo_sum, foo_count; counter foo: foo or foo_total). Any other sample is
// a family of its own, of type unknown, named after the sample.
//
// Thread-safety: a parse owns all its state.
#pragma once

#include <string_view>

#include "common/exposition/parser.hpp"
#include "common/util/status.hpp"

namespace mc::exposition_detail {

Status parse_prometheus_text(std::string_view body, ExpositionHandler& handler,
                             const ParseOptions& options);

}  // namespace mc::exposition_detail
