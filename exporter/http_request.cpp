#include "exporter/http_request.hpp"

#include <algorithm>
#include <cctype>

namespace mc {

bool header_names_equal(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::string_view HttpRequest::header(std::string_view name) const {
  for (const auto& [header_name, header_value] : headers) {
    if (header_names_equal(header_name, name)) return header_value;
  }
  return {};
}

}  // namespace mc
