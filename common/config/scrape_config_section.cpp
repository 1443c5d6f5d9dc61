#include "common/config/scrape_config_section.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "common/config/config_rules.hpp"
#include "common/config/field_readers.hpp"
#include "common/config/http_client_section.hpp"
#include "common/config/kubernetes_sd_section.hpp"
#include "common/config/prometheus_keys.hpp"
#include "common/config/relabel_section.hpp"
#include "common/config/service_discovery_section.hpp"

namespace mc {

namespace {

Status read_static_config(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                          StaticConfig& static_config) {
  return reader.read_fields(
      node, where,
      {
          {"targets",
           [&](const YAML::Node& value) -> Status {
             std::string targets_path = join_path(where, "targets");
             return reader.for_each_item(
                 value, targets_path, [&](const YAML::Node& item, size_t index) -> Status {
                   std::string item_path = index_path(targets_path, index);
                   auto target = reader.read_string(item, item_path);
                   if (!target) return target.status();
                   if (auto problem = target_address_problem(*target)) {
                     return reader.error_at(item, fmt::format("{}: {}", item_path, *problem));
                   }
                   static_config.targets.push_back(std::move(*target));
                   return Status::ok();
                 });
           }},
          {"labels",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(static_config.labels,
                                 read_labels(reader, value, join_path(where, "labels")));
             return Status::ok();
           }},
      });
}

Status read_params(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                   std::map<std::string, std::vector<std::string>>& params) {
  return reader.for_each_entry(
      node, where,
      [&](std::string_view name, const YAML::Node&, const YAML::Node& values) -> Status {
        // url.Values in Prometheus: each parameter holds a list of values.
        MC_ASSIGN_OR_RETURN(params[std::string(name)],
                            reader.read_string_list(values, join_path(where, name)));
        return Status::ok();
      });
}

}  // namespace

Status read_scrape_config(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                          ScrapeConfig& job, ScrapeConfigNodes& nodes) {
  nodes.mapping = node;
  auto path = [&](std::string_view field) { return join_path(where, field); };
  HttpClientSection http_client(reader, where, job.http_client);
  const std::vector<YamlReader::Field> http_client_fields = http_client.fields();
  Status read = reader.read_fields(
      node, where,
      {
          {"job_name",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(job.job_name, reader.read_string(value, path("job_name")));
             nodes.job_name = value;
             return Status::ok();
           }},
          {"scrape_interval",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(job.scrape_interval,
                                 reader.read_duration(value, path("scrape_interval")));
             return Status::ok();
           }},
          {"scrape_timeout",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(job.scrape_timeout,
                                 reader.read_duration(value, path("scrape_timeout")));
             nodes.scrape_timeout = value;
             return Status::ok();
           }},
          {"metrics_path",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(job.metrics_path, reader.read_string(value, path("metrics_path")));
             if (!job.metrics_path.starts_with('/')) {
               return reader.error_at(value, fmt::format("{}: {:?} must start with '/'",
                                                         path("metrics_path"), job.metrics_path));
             }
             return Status::ok();
           }},
          {"scheme",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(job.scheme, reader.read_string(value, path("scheme")));
             if (job.scheme != "http" && job.scheme != "https") {
               return reader.error_at(value, fmt::format("{}: invalid scheme {:?} (want http or "
                                                         "https)",
                                                         path("scheme"), job.scheme));
             }
             return Status::ok();
           }},
          {"params",
           [&](const YAML::Node& value) -> Status {
             return read_params(reader, value, path("params"), job.params);
           }},
          {"honor_labels",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(job.honor_labels, reader.read_bool(value, path("honor_labels")));
             return Status::ok();
           }},
          {"honor_timestamps",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(job.honor_timestamps,
                                 reader.read_bool(value, path("honor_timestamps")));
             return Status::ok();
           }},
          {"body_size_limit",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(job.body_size_limit,
                                 reader.read_byte_size(value, path("body_size_limit")));
             nodes.body_size_limit = value;
             return Status::ok();
           }},
          count_field(reader, "sample_limit", path("sample_limit"), job.sample_limit,
                      &nodes.sample_limit),
          count_field(reader, "label_limit", path("label_limit"), job.label_limit,
                      &nodes.label_limit),
          count_field(reader, "label_name_length_limit", path("label_name_length_limit"),
                      job.label_name_length_limit, &nodes.label_name_length_limit),
          count_field(reader, "label_value_length_limit", path("label_value_length_limit"),
                      job.label_value_length_limit, &nodes.label_value_length_limit),
          {"static_configs",
           [&](const YAML::Node& value) -> Status {
             std::string list_path = path("static_configs");
             return reader.for_each_item(
                 value, list_path, [&](const YAML::Node& item, size_t index) -> Status {
                   job.static_configs.emplace_back();
                   return read_static_config(reader, item, index_path(list_path, index),
                                             job.static_configs.back());
                 });
           }},
          {"file_sd_configs",
           [&](const YAML::Node& value) -> Status {
             return read_file_sd_configs(reader, value, path("file_sd_configs"),
                                         job.file_sd_configs);
           }},
          {"http_sd_configs",
           [&](const YAML::Node& value) -> Status {
             return read_http_sd_configs(reader, value, path("http_sd_configs"),
                                         job.http_sd_configs);
           }},
          {"dns_sd_configs",
           [&](const YAML::Node& value) -> Status {
             return read_dns_sd_configs(reader, value, path("dns_sd_configs"), job.dns_sd_configs);
           }},
          {"kubernetes_sd_configs",
           [&](const YAML::Node& value) -> Status {
             return read_kubernetes_sd_configs(reader, value, path("kubernetes_sd_configs"),
                                               job.kubernetes_sd_configs);
           }},
          {"relabel_configs",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(
                 job.relabel_configs,
                 read_relabel_configs(reader, value, path("relabel_configs"),
                                      "empty or null target relabeling rule in scrape config"));
             return Status::ok();
           }},
          {"metric_relabel_configs",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(
                 job.metric_relabel_configs,
                 read_relabel_configs(reader, value, path("metric_relabel_configs"),
                                      "empty or null metric relabeling rule in scrape config"));
             return Status::ok();
           }},
      },
      http_client_fields, prometheus_scrape_config_keys());
  if (!read) return read;
  return http_client.finish(node);
}

namespace {

Status finish_scrape_config(const YamlReader& reader, const GlobalConfig& global, ScrapeConfig& job,
                            const ScrapeConfigNodes& job_nodes, const std::string& where,
                            std::set<std::string_view>& job_names) {
  if (job_nodes.job_name.IsNull()) {
    return reader.error_at(job_nodes.mapping,
                           fmt::format("{}: missing required field \"job_name\"", where));
  }
  if (job.job_name.empty()) {
    return reader.error_at(job_nodes.job_name, fmt::format("{}: job_name is empty", where));
  }
  if (!job_names.insert(job.job_name).second) {
    return reader.error_at(
        job_nodes.job_name,
        fmt::format("found multiple scrape configs with job name {:?}", job.job_name));
  }
  if (job.scrape_interval.count() == 0) job.scrape_interval = global.scrape_interval;
  if (job.scrape_timeout > job.scrape_interval) {
    return reader.error_at(
        job_nodes.scrape_timeout,
        fmt::format("scrape timeout greater than scrape interval for scrape config with job "
                    "name {:?}",
                    job.job_name));
  }
  if (job.scrape_timeout.count() == 0) {
    job.scrape_timeout = std::min(global.scrape_timeout, job.scrape_interval);
  }
  if (job_nodes.body_size_limit.IsNull()) job.body_size_limit = global.body_size_limit;
  if (job_nodes.sample_limit.IsNull()) job.sample_limit = global.sample_limit;
  if (job_nodes.label_limit.IsNull()) job.label_limit = global.label_limit;
  if (job_nodes.label_name_length_limit.IsNull()) {
    job.label_name_length_limit = global.label_name_length_limit;
  }
  if (job_nodes.label_value_length_limit.IsNull()) {
    job.label_value_length_limit = global.label_value_length_limit;
  }
  return Status::ok();
}

}  // namespace

Status finish_scrape_configs(const YamlReader& reader, Config& config,
                             const std::vector<ScrapeConfigNodes>& nodes) {
  std::set<std::string_view> job_names;
  Status first_error;
  for (size_t i = 0; i < config.scrape_configs.size(); ++i) {
    if (!nodes[i].read_ok) continue;
    Status status = finish_scrape_config(reader, config.global, config.scrape_configs[i], nodes[i],
                                         index_path("scrape_configs", i), job_names);
    if (!status && first_error.is_ok()) first_error = status;
    (void)reader.report(std::move(status));
  }
  return first_error;
}

}  // namespace mc
