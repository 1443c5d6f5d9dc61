#include "exporter/api/api_query_routes.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <variant>

#include "common/util/wall_clock.hpp"
#include "exporter/api/api_json.hpp"
#include "exporter/api/api_params.hpp"
#include "exporter/api/api_response.hpp"
#include "exporter/api/api_route.hpp"

namespace mc::api {

namespace {

constexpr int64_t kMaxPointsPerSeries = 11'000;
constexpr int64_t kNanosPerMilli = 1'000'000;

ApiErrorType error_type(query::QueryErrorKind kind) {
  switch (kind) {
    case query::QueryErrorKind::BadData:
      return ApiErrorType::bad_data;
    case query::QueryErrorKind::Execution:
      return ApiErrorType::execution;
    case query::QueryErrorKind::Timeout:
      return ApiErrorType::timeout;
    case query::QueryErrorKind::Canceled:
      return ApiErrorType::canceled;
    case query::QueryErrorKind::Internal:
      return ApiErrorType::internal;
  }
  return ApiErrorType::internal;
}

// A parameter that failed: its name and why.
struct BadParameter {
  std::string name;
  std::string why;
};

// The max_source_resolution parameter, as Thanos's query API: "auto" (or
// absent) lets the step choose the tier, "raw" or "0s" reads raw data
// wherever it is kept, a duration ("5m", "1h") is the coarsest tier
// resolution the query may read.
std::optional<std::string> parse_source_resolution(std::string_view text,
                                                   query::QueryOptions& options) {
  if (text.empty() || text == "auto") return std::nullopt;
  if (text == "raw") {
    options.max_source_resolution_ms = 0;
    return std::nullopt;
  }
  auto parsed = parse_duration_ns(text);
  if (!parsed || *parsed < 0) {
    return "\"" + std::string(text) +
           "\" is not auto, raw or a non-negative duration such as 0s, 5m or 1h";
  }
  options.max_source_resolution_ms = *parsed / kNanosPerMilli;
  return std::nullopt;
}

// The timeout parameter, which shortens --query.timeout for this query (a
// longer one changes nothing), as Prometheus's context deadline, and
// max_source_resolution; a bad one is refused.
std::variant<query::QueryOptions, BadParameter> query_options(const HttpRequest& request) {
  query::QueryOptions options;
  if (const auto timeout = request.params.value("timeout"); timeout && !timeout->empty()) {
    auto parsed = parse_duration_ns(*timeout);
    if (!parsed) return BadParameter{"timeout", parsed.error()};
    options.timeout = std::chrono::nanoseconds(*parsed);
  }
  if (auto bad = parse_source_resolution(request.params.value("max_source_resolution").value_or(""),
                                         options)) {
    return BadParameter{"max_source_resolution", std::move(*bad)};
  }
  return options;
}

HttpResponse serve_query(query::QueryEngine& engine, const HttpRequest& request) {
  auto t_ms = parse_time_param(request.params.value("time"), "time", wall_clock_ms());
  if (!t_ms) return invalid_parameter("time", t_ms.error());
  const auto options = query_options(request);
  if (const auto* bad = std::get_if<BadParameter>(&options)) {
    return invalid_parameter(bad->name, bad->why);
  }
  const std::string_view query = request.params.value("query").value_or("");
  return query_response(engine.instant_query(query, *t_ms, std::get<query::QueryOptions>(options)),
                        QueryKind::instant);
}

HttpResponse serve_query_range(query::QueryEngine& engine, const HttpRequest& request) {
  auto start = parse_time(request.params.value("start").value_or(""));
  if (!start) return invalid_parameter("start", start.error());
  auto end = parse_time(request.params.value("end").value_or(""));
  if (!end) return invalid_parameter("end", end.error());
  if (*end < *start) {
    return invalid_parameter("end", "end timestamp must not be before start time");
  }
  auto step_ns = parse_duration_ns(request.params.value("step").value_or(""));
  if (!step_ns) return invalid_parameter("step", step_ns.error());
  const int64_t step_ms = *step_ns / kNanosPerMilli;
  if (*step_ns <= 0 || step_ms <= 0) {
    return invalid_parameter(
        "step",
        "zero or negative query resolution step widths are not accepted. Try a positive integer");
  }
  // Go's end.Sub(start) saturates at the largest Duration before dividing.
  const __int128 span_ns = (static_cast<__int128>(*end) - *start) * kNanosPerMilli;
  const __int128 capped_ns = std::min<__int128>(span_ns, std::numeric_limits<int64_t>::max());
  if (capped_ns / *step_ns > kMaxPointsPerSeries) {
    return error(ApiErrorType::bad_data,
                 "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the "
                 "query resolution (?step=XX)");
  }
  const auto options = query_options(request);
  if (const auto* bad = std::get_if<BadParameter>(&options)) {
    return invalid_parameter(bad->name, bad->why);
  }
  const std::string_view query = request.params.value("query").value_or("");
  return query_response(
      engine.range_query(query, *start, *end, step_ms, std::get<query::QueryOptions>(options)),
      QueryKind::range);
}

}  // namespace

HttpResponse query_response(const query::QueryResult& result, QueryKind kind) {
  if (result.error) {
    const ApiErrorType type = error_type(result.error->kind);
    // Only the parse (and its checks) fails before evaluation; 2.42 names
    // the parameter for an instant query's and not for a range query's.
    if (type == ApiErrorType::bad_data && kind == QueryKind::instant) {
      return invalid_parameter("query", result.error->message);
    }
    return error(type, result.error->message);
  }
  std::string body = begin_success();
  append_query_data(body, result.value);
  return finish_success(std::move(body), result.warnings);
}

std::vector<Route> query_routes(query::QueryEngine& engine) {
  std::vector<Route> routes;
  routes.push_back(api_route("/api/v1/query", [&engine](const HttpRequest& request) {
    return serve_query(engine, request);
  }));
  routes.push_back(api_route("/api/v1/query_range", [&engine](const HttpRequest& request) {
    return serve_query_range(engine, request);
  }));
  return routes;
}

}  // namespace mc::api
