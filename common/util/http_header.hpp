// parse_header_list: reads a comma-separated HTTP header such as Accept or
// Accept-Encoding ("text/plain;version=0.0.4;q=0.5, */*;q=0.1") into its
// elements, their parameters and their quality, for content negotiation.
//
// Values and parameter names are lowercased (both are case-insensitive in
// HTTP); parameter values keep their case, without surrounding quotes.
//
// Thread-safety: a stateless function.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mc {

struct HeaderElement {
  std::string value;  // e.g. "application/openmetrics-text" or "gzip"
  std::vector<std::pair<std::string, std::string>> parameters;  // without q
  double quality = 1.0;                                         // the q parameter; 1 when absent

  // The value of a parameter, "" when absent.
  std::string_view parameter(std::string_view name) const;
};

std::vector<HeaderElement> parse_header_list(std::string_view header);

// `text` without the spaces and tabs HTTP allows around a header value (OWS).
std::string_view trim_header_whitespace(std::string_view text);

}  // namespace mc
