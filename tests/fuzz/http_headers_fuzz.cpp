// Fuzz target: the request-header parsing behind /metrics content negotiation:
// parse_header_list, format_from_accept, format_from_content_type and
// accepts_gzip, on any header value.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/exposition/exposition_format.hpp"
#include "common/util/http_header.hpp"
#include "exporter/gzip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  for (const auto& element : mc::parse_header_list(header)) {
    (void)element.parameter("version");
  }
  (void)mc::format_from_accept(header);
  (void)mc::format_from_content_type(header);
  (void)mc::accepts_gzip(header);
  return 0;
}
