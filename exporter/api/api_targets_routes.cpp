#include "exporter/api/api_targets_routes.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>

#include <fmt/format.h>

#include "exporter/api/api_json.hpp"
#include "exporter/api/api_match_params.hpp"
#include "exporter/api/api_response.hpp"
#include "exporter/api/api_route.hpp"

namespace mc::api {

namespace {

// Prometheus's LocalhostRepresentations.
constexpr std::array<std::string_view, 3> kLoopbackHosts = {"127.0.0.1", "localhost", "::1"};

struct HostPort {
  std::string_view host;  // without IPv6 brackets
  std::string_view port;
};

// net.SplitHostPort, for the forms a scrape URL has; nullopt without a port.
std::optional<HostPort> split_host_port(std::string_view authority) {
  if (authority.starts_with('[')) {
    const size_t close = authority.find("]:");
    if (close == std::string_view::npos) return std::nullopt;
    return HostPort{authority.substr(1, close - 1), authority.substr(close + 2)};
  }
  const size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  return HostPort{authority.substr(0, colon), authority.substr(colon + 1)};
}

std::string_view state_param(const HttpRequest& request, std::string_view name) {
  return request.params.value(name).value_or("");
}

void append_active_target(std::string& out, const TargetStatus& target,
                          const ExternalUrl& external) {
  out += "{\"discoveredLabels\":";
  append_label_set(out, target.discovered_labels);
  out += ",\"labels\":";
  append_label_set(out, target.labels);
  out += ",\"scrapePool\":";
  append_string(out, target.scrape_pool);
  out += ",\"scrapeUrl\":";
  append_string(out, target.scrape_url);
  out += ",\"globalUrl\":";
  append_string(out, global_url(target.scrape_url, external));
  out += ",\"lastError\":";
  append_string(out, target.last_error);
  out += ",\"lastScrape\":";
  append_string(out, rfc3339_time(target.last_scrape_ms));
  out += ",\"lastScrapeDuration\":";
  append_sample_value(out, target.last_scrape_duration_seconds);
  out += ",\"health\":";
  append_string(out, target_health_name(target.health));
  out += ",\"scrapeInterval\":";
  append_string(out, target.scrape_interval);
  out += ",\"scrapeTimeout\":";
  append_string(out, target.scrape_timeout);
  out += '}';
}

HttpResponse serve_targets(const TargetStatusSource& source, const ExternalUrl& external,
                           const HttpRequest& request) {
  std::string state(state_param(request, "state"));
  for (char& c : state) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string_view scrape_pool = state_param(request, "scrapePool");
  const bool any = state.empty() || state == "any";
  const bool show_active = any || state == "active";
  const bool show_dropped = any || state == "dropped";

  std::string data = "{\"activeTargets\":[";
  if (show_active) {
    bool first = true;
    for (const TargetStatus& target : source.active_targets()) {
      if (!scrape_pool.empty() && target.scrape_pool != scrape_pool) continue;
      if (!first) data += ',';
      first = false;
      append_active_target(data, target, external);
    }
  }
  data += "],\"droppedTargets\":[";
  if (show_dropped) {
    bool first = true;
    for (const DroppedTarget& target : source.dropped_targets()) {
      if (!scrape_pool.empty() && target.scrape_pool != scrape_pool) continue;
      if (!first) data += ',';
      first = false;
      data += "{\"discoveredLabels\":";
      append_label_set(data, target.discovered_labels);
      data += '}';
    }
  }
  data += "]}";
  return success(data);
}

HttpResponse serve_target_metadata(const TargetStatusSource& source, const HttpRequest& request) {
  int64_t limit = -1;
  if (const auto text = request.params.value("limit"); text && !text->empty()) {
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
    if (ec != std::errc() || end != text->data() + text->size()) {
      return error(ApiErrorType::bad_data, "limit must be a number");
    }
  }
  MatcherSet matchers;
  if (const auto selector = request.params.value("match_target"); selector && !selector->empty()) {
    auto parsed = parse_match_params({*selector});
    if (!parsed) return invalid_parameter("match_target", parsed.error());
    matchers = std::move(parsed->front());
  }
  const std::string_view metric = request.params.value("metric").value_or("");

  const auto wanted = [&matchers](const Labels& labels) {
    return std::ranges::all_of(matchers, [&labels](const Matcher& matcher) {
      return matcher.matches(labels.get(matcher.name()));
    });
  };
  std::string data = "[";
  int64_t written = 0;
  for (const TargetMetadata& target : source.target_metadata(wanted, metric)) {
    if (limit >= 0 && written >= limit) break;
    for (const MetricMetadata& family : target.families) {
      if (written++ > 0) data += ',';
      data += "{\"target\":";
      append_label_set(data, target.target);
      if (metric.empty()) {
        data += ",\"metric\":";
        append_string(data, family.family);
      }
      data += ",\"type\":";
      append_string(data, metric_type_name(family.type));
      data += ",\"help\":";
      append_string(data, family.help);
      data += ",\"unit\":";
      append_string(data, family.unit);
      data += '}';
    }
  }
  data += ']';
  return success(data);
}

}  // namespace

ExternalUrl default_external_url(std::string_view listen_address, std::string_view scheme) {
  ExternalUrl external;
  external.scheme = std::string(scheme);
  std::array<char, 256> hostname{};
  if (::gethostname(hostname.data(), hostname.size() - 1) == 0) external.host = hostname.data();
  if (external.host.empty()) external.host = "localhost";
  if (auto split = split_host_port(listen_address)) external.port = std::string(split->port);
  return external;
}

std::string global_url(std::string_view scrape_url, const ExternalUrl& external) {
  const size_t scheme_end = scrape_url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(scrape_url);
  const size_t authority_begin = scheme_end + 3;
  const size_t authority_end = scrape_url.find_first_of("/?#", authority_begin);
  const std::string_view authority = scrape_url.substr(
      authority_begin, authority_end == std::string_view::npos ? std::string_view::npos
                                                               : authority_end - authority_begin);
  const std::string_view rest =
      authority_end == std::string_view::npos ? "" : scrape_url.substr(authority_end);
  const auto split = split_host_port(authority);
  if (!split) return std::string(scrape_url);
  if (!std::ranges::any_of(kLoopbackHosts,
                           [&split](std::string_view host) { return split->host == host; })) {
    return std::string(scrape_url);
  }
  if (split->port == external.port) {
    // The daemon scraping itself: the external URL's scheme and port too.
    return fmt::format("{}://{}:{}{}", external.scheme, external.host, external.port, rest);
  }
  return fmt::format("{}{}:{}{}", scrape_url.substr(0, authority_begin), external.host, split->port,
                     rest);
}

std::string rfc3339_time(int64_t t_ms) {
  if (t_ms == 0) return "0001-01-01T00:00:00Z";
  int64_t seconds = t_ms / 1000;
  int64_t millis = t_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  const auto time = static_cast<std::time_t>(seconds);
  std::tm utc{};
  ::gmtime_r(&time, &utc);
  std::string text = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", utc.tm_year + 1900,
                                 utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
  if (millis != 0) {
    // RFC3339Nano: the fraction without trailing zeros.
    std::string fraction = fmt::format("{:03}", millis);
    while (fraction.back() == '0') fraction.pop_back();
    text += '.';
    text += fraction;
  }
  text += 'Z';
  return text;
}

std::vector<Route> target_api_routes(const TargetStatusSource& source, ExternalUrl external) {
  std::vector<Route> routes;
  routes.push_back(api_route(
      "/api/v1/targets",
      [&source, external = std::move(external)](const HttpRequest& request) {
        return serve_targets(source, external, request);
      },
      PostToo::no));
  routes.push_back(api_route(
      "/api/v1/targets/metadata",
      [&source](const HttpRequest& request) { return serve_target_metadata(source, request); },
      PostToo::no));
  routes.push_back(api_route(
      "/api/v1/scrape_pools",
      [&source](const HttpRequest&) {
        std::string data = "{\"scrapePools\":";
        const std::vector<std::string> pools = source.scrape_pools();
        append_string_array(data, pools);
        data += '}';
        return success(data);
      },
      PostToo::no));
  return routes;
}

}  // namespace mc::api
