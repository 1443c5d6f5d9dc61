#include "collector/scrape/scrape_target.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

namespace mc {

namespace {

std::string url_escape(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// Prometheus adds the scheme's default port to an address written without one,
// and the instance label shows it ("host" -> "host:80").
std::string with_default_port(std::string_view address, const std::string& scheme) {
  bool bracketed_ipv6 = address.starts_with('[');
  bool has_port = bracketed_ipv6 ? address.find("]:") != std::string_view::npos
                                 : address.find(':') != std::string_view::npos;
  if (has_port) return std::string(address);
  return fmt::format("{}:{}", address, scheme == "https" ? 443 : 80);
}

}  // namespace

ScrapeTarget::ScrapeTarget(const ScrapeConfig& job, std::string address,
                           const std::vector<Label>& group_labels)
    : job_(job.job_name) {
  address = with_default_port(address, job.scheme);
  url_ = fmt::format("{}://{}{}", job.scheme, address, job.metrics_path);
  char separator = job.metrics_path.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [name, values] : job.params) {
    for (const auto& value : values) {
      url_ += separator;
      url_ += url_escape(name);
      url_ += '=';
      url_ += url_escape(value);
      separator = '&';
    }
  }
  LabelsBuilder builder;
  for (const auto& label : group_labels) builder.set(label.name, label.value);
  // job and instance are set unless the group already set them, as Prometheus's
  // target labels do (a static label "instance" overrides the address).
  if (!builder.has("job")) builder.set("job", job.job_name);
  if (!builder.has("instance")) builder.set("instance", address);
  labels_ = builder.labels();
}

Duration ScrapeTarget::offset(Duration interval) const {
  if (interval.count() <= 0) return Duration(0);
  return Duration(static_cast<int64_t>(hash() % static_cast<uint64_t>(interval.count())));
}

}  // namespace mc
