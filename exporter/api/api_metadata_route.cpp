#include "exporter/api/api_metadata_route.hpp"

#include <charconv>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "exporter/api/api_json.hpp"
#include "exporter/api/api_response.hpp"
#include "exporter/api/api_route.hpp"

namespace mc::api {

namespace {

struct Entry {
  std::string_view type;
  std::string help;
  std::string unit;
  auto operator<=>(const Entry&) const = default;
};

HttpResponse serve_metadata(Storage& storage, const HttpRequest& request) {
  int64_t limit = -1;
  if (const auto text = request.params.value("limit"); text && !text->empty()) {
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
    if (ec != std::errc() || end != text->data() + text->size()) {
      return error(ApiErrorType::bad_data, "limit must be a number");
    }
  }
  const std::string_view wanted = request.params.value("metric").value_or("");

  std::map<std::string, std::set<Entry>, std::less<>> families;
  storage.latest_samples().for_each_latest(INT64_MIN, INT64_MAX, [&](const LatestSample& latest) {
    const MetricMetadata* metadata = latest.metadata;
    if (metadata == nullptr || (!wanted.empty() && metadata->family != wanted)) return;
    families[metadata->family].insert(
        Entry{metric_type_name(metadata->type), metadata->help, metadata->unit});
  });

  std::string data = "{";
  int64_t written = 0;
  for (const auto& [family, entries] : families) {
    if (limit >= 0 && written >= limit) break;
    if (written++ > 0) data += ',';
    append_string(data, family);
    data += ":[";
    bool first = true;
    for (const Entry& entry : entries) {
      if (!first) data += ',';
      first = false;
      data += "{\"type\":";
      append_string(data, entry.type);
      data += ",\"help\":";
      append_string(data, entry.help);
      data += ",\"unit\":";
      append_string(data, entry.unit);
      data += '}';
    }
    data += ']';
  }
  data += '}';
  return success(data);
}

}  // namespace

Route metadata_route(Storage& storage) {
  return api_route(
      "/api/v1/metadata",
      [&storage](const HttpRequest& request) { return serve_metadata(storage, request); },
      PostToo::no);
}

}  // namespace mc::api
