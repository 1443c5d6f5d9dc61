// Fuzz target: the PromQL parser on any query. A query that parses must print
// to text that parses again (the printer writes only what the parser accepts;
// not always the same text once more, as in Prometheus: -Inf^x prints as
// "-+Inf ^ x", which reads back with one more unary plus, so a query at the
// height limit may print as one a level over it and fail as too deep); a query
// that fails must fail with a position inside it. Any other outcome, or a
// crash, is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/query/parser.hpp"
#include "common/query/printer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  const mc::query::ParseResult result = mc::query::parse(query);
  if (!result.ok()) {
    if (result.error.position > query.size() || result.error.message.empty()) std::abort();
    return 0;
  }
  const std::string printed = mc::query::to_string(*result.expr);
  const mc::query::ParseResult again = mc::query::parse(printed);
  if (!again.ok() && !again.error.message.starts_with("expression nests too deeply")) std::abort();
  return 0;
}
