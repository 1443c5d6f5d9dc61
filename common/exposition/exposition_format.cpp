#include "common/exposition/exposition_format.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

namespace mc {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

ExpositionFormat format_from_content_type(std::string_view content_type) {
  auto lower = lowercase(content_type);
  auto media = trim(std::string_view(lower).substr(0, lower.find(';')));
  return media == "application/openmetrics-text" ? ExpositionFormat::openmetrics
                                                 : ExpositionFormat::prometheus_text;
}

ExpositionFormat format_from_accept(std::string_view accept) {
  // As client_golang's NegotiateIncludingOpenMetrics: take the entries by
  // quality, highest first (ties keep their order); the first that names a
  // format we write decides. OpenMetrics counts only for version 0.0.1, 1.0.0
  // or no version; anything else we cannot name gets text 0.0.4.
  struct Entry {
    std::string media;
    std::string version;
    double quality = 1.0;
  };
  std::vector<Entry> entries;
  auto lower = lowercase(accept);
  for (size_t pos = 0; pos <= lower.size();) {
    size_t end = lower.find(',', pos);
    if (end == std::string::npos) end = lower.size();
    std::string_view part = std::string_view(lower).substr(pos, end - pos);
    pos = end + 1;
    Entry entry;
    size_t param_start = part.find(';');
    entry.media = std::string(trim(part.substr(0, param_start)));
    while (param_start != std::string_view::npos) {
      size_t next = part.find(';', param_start + 1);
      auto param = trim(part.substr(param_start + 1, next - param_start - 1));
      param_start = next;
      auto eq = param.find('=');
      if (eq == std::string_view::npos) continue;
      auto key = trim(param.substr(0, eq));
      auto value = trim(param.substr(eq + 1));
      if (key == "q") entry.quality = std::strtod(std::string(value).c_str(), nullptr);
      if (key == "version") entry.version = std::string(value);
    }
    if (!entry.media.empty()) entries.push_back(std::move(entry));
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.quality > b.quality; });
  for (const auto& entry : entries) {
    if (entry.quality <= 0) break;
    if (entry.media == "application/openmetrics-text" &&
        (entry.version.empty() || entry.version == "1.0.0" || entry.version == "0.0.1")) {
      return ExpositionFormat::openmetrics;
    }
    if (entry.media == "text/plain" || entry.media == "*/*" || entry.media == "text/*") {
      return ExpositionFormat::prometheus_text;
    }
  }
  return ExpositionFormat::prometheus_text;
}

}  // namespace mc
