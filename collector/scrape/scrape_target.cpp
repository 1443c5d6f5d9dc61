#include "collector/scrape/scrape_target.hpp"

#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "common/relabel/relabel.hpp"
#include "common/util/duration.hpp"

namespace mc {

namespace {

constexpr std::string_view kAddressLabel = "__address__";
constexpr std::string_view kSchemeLabel = "__scheme__";
constexpr std::string_view kMetricsPathLabel = "__metrics_path__";
constexpr std::string_view kScrapeIntervalLabel = "__scrape_interval__";
constexpr std::string_view kScrapeTimeoutLabel = "__scrape_timeout__";
constexpr std::string_view kParamLabelPrefix = "__param_";
constexpr std::string_view kReservedLabelPrefix = "__";

std::string url_escape(std::string_view text) {
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
std::string with_default_port(std::string_view address, std::string_view scheme) {
  bool bracketed_ipv6 = address.starts_with('[');
  bool has_port = bracketed_ipv6 ? address.find("]:") != std::string_view::npos
                                 : address.find(':') != std::string_view::npos;
  if (has_port) return std::string(address);
  return fmt::format("{}:{}", address, scheme == "https" ? 443 : 80);
}

// The labels relabeling starts from, as Prometheus's PopulateLabels builds them.
LabelsBuilder discovered_labels(const ScrapeConfig& job, const std::vector<Label>& target_labels,
                                const std::vector<Label>& group_labels) {
  LabelsBuilder builder;
  for (const auto& label : group_labels) builder.set(label.name, label.value);
  for (const auto& label : target_labels) builder.set(label.name, label.value);
  const std::pair<std::string_view, std::string> defaults[] = {
      {"job", job.job_name},
      {kScrapeIntervalLabel, format_duration(job.scrape_interval)},
      {kScrapeTimeoutLabel, format_duration(job.scrape_timeout)},
      {kMetricsPathLabel, job.metrics_path},
      {kSchemeLabel, job.scheme},
  };
  for (const auto& [name, value] : defaults) {
    if (builder.get(name).empty()) builder.set(name, value);
  }
  for (const auto& [name, values] : job.params) {
    if (!values.empty()) builder.set(std::string(kParamLabelPrefix) + name, values.front());
  }
  return builder;
}

Result<Duration> duration_label(const Labels& labels, std::string_view name,
                                std::string_view what) {
  auto parsed = parse_duration(labels.get(name));
  if (!parsed) return Status::error(fmt::format("error parsing {}: {}", what, parsed.error()));
  if (parsed->count() == 0) return Status::error(fmt::format("{} cannot be 0", what));
  return *parsed;
}

// The query string: the job's params, each __param_<name> label replacing its
// parameter's first value (or adding the parameter), sorted by name as Go's
// url.Values.Encode writes them.
std::string query_string(const ScrapeConfig& job, const Labels& labels) {
  std::map<std::string, std::vector<std::string>> params = job.params;
  for (const LabelView label : labels) {
    if (!label.name.starts_with(kParamLabelPrefix)) continue;
    auto& values = params[std::string(label.name.substr(kParamLabelPrefix.size()))];
    if (values.empty()) {
      values.emplace_back(label.value);
    } else {
      values.front() = label.value;
    }
  }
  std::string query;
  for (const auto& [name, values] : params) {
    for (const auto& value : values) {
      if (!query.empty()) query += '&';
      query += url_escape(name);
      query += '=';
      query += url_escape(value);
    }
  }
  return query;
}

}  // namespace

Result<std::optional<ScrapeTarget>> ScrapeTarget::build(const ScrapeConfig& job,
                                                        std::string_view address,
                                                        const std::vector<Label>& group_labels) {
  return build(job, {Label{std::string(kAddressLabel), std::string(address)}}, group_labels);
}

Result<std::optional<ScrapeTarget>> ScrapeTarget::build(const ScrapeConfig& job,
                                                        const std::vector<Label>& target_labels,
                                                        const std::vector<Label>& group_labels) {
  LabelsBuilder builder = discovered_labels(job, target_labels, group_labels);
  if (!relabel_builder(builder, job.relabel_configs)) return std::optional<ScrapeTarget>();
  Labels relabeled = builder.labels();

  const std::string_view relabeled_address = relabeled.get(kAddressLabel);
  if (relabeled_address.empty()) return Status::error("no address");
  const std::string_view scheme = relabeled.get(kSchemeLabel);
  if (scheme != "http" && scheme != "https" && !scheme.empty()) {
    return Status::error(fmt::format("invalid scheme: {:?}", scheme));
  }
  const std::string final_address = with_default_port(relabeled_address, scheme);
  if (final_address.find('/') != std::string::npos) {
    return Status::error(fmt::format("{:?} is not a valid hostname", final_address));
  }

  ScrapeTarget target;
  target.job_ = job.job_name;
  auto interval = duration_label(relabeled, kScrapeIntervalLabel, "scrape interval");
  if (!interval) return interval.status();
  auto timeout = duration_label(relabeled, kScrapeTimeoutLabel, "scrape timeout");
  if (!timeout) return timeout.status();
  if (*timeout > *interval) {
    return Status::error(
        fmt::format("scrape timeout cannot be greater than scrape interval ({:?} > {:?})",
                    relabeled.get(kScrapeTimeoutLabel), relabeled.get(kScrapeIntervalLabel)));
  }
  target.interval_ = *interval;
  target.timeout_ = *timeout;

  std::string path(relabeled.get(kMetricsPathLabel));
  target.url_ = fmt::format("{}://{}{}", scheme.empty() ? "http" : scheme, final_address, path);
  if (std::string query = query_string(job, relabeled); !query.empty()) {
    target.url_ += path.find('?') == std::string::npos ? '?' : '&';
    target.url_ += query;
  }

  LabelsBuilder final_labels(relabeled);
  if (relabeled.get("instance").empty()) final_labels.set("instance", final_address);
  for (const LabelView label : relabeled) {
    if (label.name.starts_with(kReservedLabelPrefix)) final_labels.remove(label.name);
  }
  target.labels_ = final_labels.labels();
  return std::optional<ScrapeTarget>(std::move(target));
}

ScrapeTarget::ScrapeTarget(const ScrapeConfig& job, std::string_view address,
                           const std::vector<Label>& group_labels) {
  auto built = build(job, address, group_labels);
  if (!built) throw std::invalid_argument(built.error());
  if (!built->has_value()) throw std::invalid_argument("the job's relabel_configs drop the target");
  *this = std::move(**built);
}

Duration ScrapeTarget::offset(Duration interval) const {
  if (interval.count() <= 0) return Duration(0);
  return Duration(static_cast<int64_t>(hash() % static_cast<uint64_t>(interval.count())));
}

}  // namespace mc
