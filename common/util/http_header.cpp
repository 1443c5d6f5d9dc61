#include "common/util/http_header.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace mc {

namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Splits on `separator`, trimming each part; empty parts are kept.
std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    size_t end = text.find(separator);
    parts.push_back(trim_header_whitespace(text.substr(0, end)));
    if (end == std::string_view::npos) return parts;
    text.remove_prefix(end + 1);
  }
}

}  // namespace

std::string_view HeaderElement::parameter(std::string_view name) const {
  for (const auto& [key, value] : parameters) {
    if (key == name) return value;
  }
  return {};
}

std::vector<HeaderElement> parse_header_list(std::string_view header) {
  std::vector<HeaderElement> elements;
  for (std::string_view part : split(header, ',')) {
    auto pieces = split(part, ';');
    if (pieces.front().empty()) continue;
    HeaderElement element;
    element.value = lowercase(pieces.front());
    for (size_t i = 1; i < pieces.size(); ++i) {
      size_t eq = pieces[i].find('=');
      if (eq == std::string_view::npos) continue;
      std::string key = lowercase(trim_header_whitespace(pieces[i].substr(0, eq)));
      std::string_view value = trim_header_whitespace(pieces[i].substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      if (key == "q") {
        element.quality = std::strtod(std::string(value).c_str(), nullptr);
      } else {
        element.parameters.emplace_back(std::move(key), std::string(value));
      }
    }
    elements.push_back(std::move(element));
  }
  return elements;
}

std::string_view trim_header_whitespace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace mc
