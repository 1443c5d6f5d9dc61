#include "collector/discovery/http_sd_discoverer.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <regex>

#include <fmt/format.h>

#include "collector/discovery/stop_wait.hpp"
#include "collector/discovery/target_group_parser.hpp"
#include "collector/http_client/http_status_text.hpp"
#include "common/util/build_version.hpp"
#include "common/util/logger.hpp"

namespace mc {

namespace {

struct Response {
  std::string content_type;
  std::string body;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  static_cast<Response*>(user)->body.append(data, size * count);
  return size * count;
}

std::string trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return std::string(text);
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<Response*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    // A new response (after a redirect or a 100 Continue) starts over.
    *response = Response{};
  } else if (line.size() > 13) {
    std::string name(line.substr(0, 13));
    std::ranges::transform(name, name.begin(), [](unsigned char c) { return std::tolower(c); });
    if (name == "content-type:") response->content_type = trim(line.substr(13));
  }
  return size * count;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::stop_token*>(user)->stop_requested() ? 1 : 0;
}

// Prometheus's "X-Prometheus-Refresh-Interval-Seconds": Go's FormatFloat(seconds, 'f', -1).
std::string seconds_text(std::chrono::milliseconds interval) {
  if (interval.count() % 1000 == 0) return std::to_string(interval.count() / 1000);
  std::string text = fmt::format("{:.3f}", static_cast<double>(interval.count()) / 1000.0);
  while (text.back() == '0') text.pop_back();
  return text;
}

// Go's resp.Status: "500 Internal Server Error", the text as Go names the code.
std::string status_text(long code) {
  std::string_view text = http_status_text(code);
  return text.empty() ? std::to_string(code) : fmt::format("{} {}", code, text);
}

}  // namespace

HttpSdDiscoverer::HttpSdDiscoverer(HttpSdConfig config, DiscoveryMetrics* metrics)
    : config_(std::move(config)), client_(config_.http_client), metrics_(metrics) {}

Result<std::vector<TargetGroup>> HttpSdDiscoverer::fetch(std::stop_token stop) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> handle(curl_easy_init(), curl_easy_cleanup);
  if (!handle) return Status::error(config_.url + ": cannot create a curl handle");
  Response response;
  const std::string user_agent = fmt::format("metrics-collector/{}", build_version());
  CURL* curl = handle.get();
  // URL, headers, TLS, authentication, proxy and redirects.
  Status setup =
      client_.apply(curl, config_.url,
                    {"Accept: application/json", "X-Prometheus-Refresh-Interval-Seconds: " +
                                                     seconds_text(config_.refresh_interval)});
  if (!setup) return Status::error(fmt::format("{}: {}", config_.url, setup.message()));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.refresh_interval.count()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &stop);
  CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    return Status::error(fmt::format("{}: {}", config_.url, curl_easy_strerror(code)));
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return Status::error(
        fmt::format("{}: server returned HTTP status {}", config_.url, status_text(status)));
  }
  static const std::regex kJson(R"re(application/json(;\s*charset=("utf-8"|utf-8))?)re",
                                std::regex::icase);
  if (!std::regex_match(response.content_type, kJson)) {
    return Status::error(
        fmt::format("{}: unsupported content type {:?}", config_.url, response.content_type));
  }
  auto groups = parse_target_groups(response.body, config_.url, TargetGroupFormat::json);
  if (!groups) return groups.status();
  for (size_t i = 0; i < groups->size(); ++i) {
    TargetGroup& group = (*groups)[i];
    group.source = config_.url + ":" + std::to_string(i);
    group.labels.push_back(Label{"__meta_url", config_.url});
    std::ranges::sort(group.labels, [](const Label& a, const Label& b) { return a.name < b.name; });
  }
  return groups;
}

void HttpSdDiscoverer::run(std::stop_token stop, const Publish& publish) {
  size_t last_count = 0;
  bool first = true;
  std::vector<TargetGroup> last;
  while (!stop.stop_requested()) {
    auto groups = fetch(stop);
    if (stop.stop_requested()) break;
    if (!groups) {
      if (metrics_ != nullptr) {
        metrics_->http_failure();
        metrics_->refresh_failure("http");
      }
      log::error("http_sd: unable to refresh target groups, keeping the last ones",
                 {{"url", config_.url}, {"err", groups.error()}});
    } else {
      std::vector<TargetGroup> changed = *groups;
      const size_t count = changed.size();
      for (size_t i = count; i < last_count; ++i) {
        changed.push_back(removed_group(config_.url + ":" + std::to_string(i)));
      }
      last_count = count;
      const bool same = !first && groups->size() == last.size() &&
                        std::ranges::equal(*groups, last, [](const auto& a, const auto& b) {
                          return a.targets == b.targets && a.labels == b.labels;
                        });
      if (!same) publish(std::move(changed));
      last = std::move(*groups);
      first = false;
    }
    if (wait_until_stopped(stop, config_.refresh_interval)) break;
  }
}

}  // namespace mc
