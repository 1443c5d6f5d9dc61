#include "common/exposition/exposition_format.hpp"

#include <algorithm>
#include <vector>

#include "common/util/http_header.hpp"

namespace mc {

ExpositionFormat format_from_content_type(std::string_view content_type) {
  auto elements = parse_header_list(content_type);
  bool openmetrics = !elements.empty() && elements.front().value == "application/openmetrics-text";
  return openmetrics ? ExpositionFormat::openmetrics : ExpositionFormat::prometheus_text;
}

ExpositionFormat format_from_accept(std::string_view accept) {
  // As client_golang's NegotiateIncludingOpenMetrics: take the entries by
  // quality, highest first (ties keep their order); the first that names a
  // format we write decides. OpenMetrics counts only for version 0.0.1, 1.0.0
  // or no version; anything else we cannot name gets text 0.0.4.
  auto elements = parse_header_list(accept);
  std::stable_sort(
      elements.begin(), elements.end(),
      [](const HeaderElement& a, const HeaderElement& b) { return a.quality > b.quality; });
  for (const auto& element : elements) {
    if (element.quality <= 0) break;
    auto version = element.parameter("version");
    if (element.value == "application/openmetrics-text" &&
        (version.empty() || version == "1.0.0" || version == "0.0.1")) {
      return ExpositionFormat::openmetrics;
    }
    if (element.value == "text/plain" || element.value == "*/*" || element.value == "text/*") {
      return ExpositionFormat::prometheus_text;
    }
  }
  return ExpositionFormat::prometheus_text;
}

}  // namespace mc
