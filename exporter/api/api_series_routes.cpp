#include "exporter/api/api_series_routes.hpp"

#include <set>
#include <string>

#include "common/model/label_name.hpp"
#include "common/query/go_text.hpp"
#include "common/query/parser.hpp"
#include "exporter/api/api_json.hpp"
#include "exporter/api/api_params.hpp"
#include "exporter/api/api_response.hpp"
#include "exporter/api/api_route.hpp"
#include "exporter/api/api_series_select.hpp"

namespace mc::api {

namespace {

constexpr std::string_view kValuesSuffix = "/values";

// start and end of /series, /labels and /label/<name>/values: all time when absent.
struct TimeRange {
  int64_t start_ms = kMinTimeMs;
  int64_t end_ms = kMaxTimeMs;
};

Result<TimeRange> read_range(const HttpRequest& request, std::optional<HttpResponse>& refused) {
  TimeRange range;
  auto start = parse_time_param(request.params.value("start"), "start", kMinTimeMs);
  if (!start) {
    refused = invalid_parameter("start", start.error());
    return start.status();
  }
  auto end = parse_time_param(request.params.value("end"), "end", kMaxTimeMs);
  if (!end) {
    refused = invalid_parameter("end", end.error());
    return end.status();
  }
  range.start_ms = *start;
  range.end_ms = *end;
  return range;
}

HttpResponse serve_series(Storage& storage, const HttpRequest& request) {
  const std::vector<std::string_view> selectors = request.params.values("match[]");
  if (selectors.empty()) return error(ApiErrorType::bad_data, "no match[] parameter provided");
  std::optional<HttpResponse> refused;
  auto range = read_range(request, refused);
  if (!range) return *refused;
  auto matchers = parse_match_params(selectors);
  if (!matchers) return invalid_parameter("match[]", matchers.error());

  std::string data = "[";
  if (range->start_ms <= range->end_ms) {
    const SelectedSeries selected =
        select_series(storage, *matchers, range->start_ms, range->end_ms);
    for (size_t i = 0; i < selected.series.size(); ++i) {
      if (i > 0) data += ',';
      append_label_set(data, selected.series[i]->labels());
    }
  }
  data += ']';
  return success(data);
}

HttpResponse serve_labels(Storage& storage, const HttpRequest& request) {
  std::optional<HttpResponse> refused;
  auto range = read_range(request, refused);
  if (!range) return *refused;
  auto matchers = parse_match_params(request.params.values("match[]"));
  if (!matchers) return invalid_parameter("match[]", matchers.error());

  std::vector<std::string> names;
  if (range->start_ms <= range->end_ms) {
    if (matchers->empty()) {
      names = storage.querier(range->start_ms, range->end_ms)->label_names();
    } else {
      std::set<std::string, std::less<>> found;
      const SelectedSeries selected =
          select_series(storage, *matchers, range->start_ms, range->end_ms);
      for (const auto& series : selected.series) {
        for (const LabelView label : series->labels()) {
          if (!found.contains(label.name)) found.emplace(label.name);
        }
      }
      names.assign(found.begin(), found.end());
    }
  }
  std::string data;
  append_string_array(data, names);
  return success(data);
}

HttpResponse serve_label_values(Storage& storage, const HttpRequest& request) {
  // "job/values" -> "job"; anything else under /api/v1/label/ is not a route.
  const std::string_view suffix = request.path_suffix;
  if (!suffix.ends_with(kValuesSuffix) || suffix.size() == kValuesSuffix.size() ||
      suffix.substr(0, suffix.size() - kValuesSuffix.size()).find('/') != std::string_view::npos) {
    return HttpResponse::text(404, "404 page not found\n");
  }
  const std::string_view name = suffix.substr(0, suffix.size() - kValuesSuffix.size());
  if (!is_valid_label_name(name)) {
    return error(ApiErrorType::bad_data, "invalid label name: " + query::go_quote(name));
  }
  std::optional<HttpResponse> refused;
  auto range = read_range(request, refused);
  if (!range) return *refused;
  auto matchers = parse_match_params(request.params.values("match[]"));
  if (!matchers) return invalid_parameter("match[]", matchers.error());

  std::vector<std::string> values;
  if (range->start_ms <= range->end_ms) {
    if (matchers->empty()) {
      values = storage.querier(range->start_ms, range->end_ms)->label_values(name);
    } else {
      std::set<std::string, std::less<>> found;
      const SelectedSeries selected =
          select_series(storage, *matchers, range->start_ms, range->end_ms);
      for (const auto& series : selected.series) {
        const std::string_view value = series->labels().get(name);
        if (!value.empty() && !found.contains(value)) found.emplace(value);
      }
      values.assign(found.begin(), found.end());
    }
  }
  std::string data;
  append_string_array(data, values);
  return success(data);
}

// No exemplars are stored; the query is still checked, as Prometheus parses
// it before it asks its (here absent) exemplar storage.
HttpResponse serve_query_exemplars(const HttpRequest& request) {
  std::optional<HttpResponse> refused;
  auto range = read_range(request, refused);
  if (!range) return *refused;
  const std::string_view query = request.params.value("query").value_or("");
  auto parsed = query::parse_expr(query);
  if (!parsed) return error(ApiErrorType::bad_data, parsed.error());
  return success("[]");
}

}  // namespace

std::vector<Route> series_routes(Storage& storage) {
  std::vector<Route> routes;
  routes.push_back(api_route("/api/v1/series", [&storage](const HttpRequest& request) {
    return serve_series(storage, request);
  }));
  routes.push_back(api_route("/api/v1/labels", [&storage](const HttpRequest& request) {
    return serve_labels(storage, request);
  }));
  routes.push_back(api_route(
      "/api/v1/label/*",
      [&storage](const HttpRequest& request) { return serve_label_values(storage, request); },
      PostToo::no));
  routes.push_back(api_route("/api/v1/query_exemplars", [](const HttpRequest& request) {
    return serve_query_exemplars(request);
  }));
  return routes;
}

}  // namespace mc::api
