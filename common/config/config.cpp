#include "common/config/config.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "common/config/config_rules.hpp"
#include "common/config/yaml_reader.hpp"

namespace mc {

namespace {

// Where a job's values came from, kept until the whole document is read:
// inheritance needs `global:`, which may come after `scrape_configs:` in the file.
struct ScrapeConfigNodes {
  YAML::Node mapping;
  YAML::Node job_name;        // null when absent
  YAML::Node scrape_timeout;  // null when absent
};

struct GlobalNodes {
  YAML::Node scrape_timeout;  // null when absent
};

// A label set as a YAML mapping of name to value, returned sorted by name.
Result<std::vector<Label>> read_labels(const YamlReader& reader, const YAML::Node& node,
                                       std::string_view where) {
  std::vector<Label> labels;
  Status status = reader.for_each_entry(
      node, where,
      [&](std::string_view name, const YAML::Node& name_node,
          const YAML::Node& value_node) -> Status {
        if (!is_valid_label_name(name)) {
          return reader.error_at(name_node,
                                 fmt::format("{}: {:?} is not a valid label name", where, name));
        }
        if (name.starts_with("__")) {
          return reader.error_at(name_node,
                                 fmt::format("{}: label name {:?} is reserved (names starting with "
                                             "\"__\" are for internal use)",
                                             where, name));
        }
        // `name:` with nothing after it is an empty value.
        std::string value;
        if (!value_node.IsNull()) {
          auto text = reader.read_string(value_node, join_path(where, name));
          if (!text) return text.status();
          value = std::move(*text);
        }
        if (!is_valid_utf8(value)) {
          return reader.error_at(value_node,
                                 fmt::format("{}: {:?} is not a valid label value", where, value));
        }
        // An empty value means "no such label" in Prometheus; dropping it here
        // spares every consumer that rule.
        if (!value.empty()) labels.push_back(Label{std::string(name), std::move(value)});
        return Status::ok();
      });
  if (!status) return status;
  std::sort(labels.begin(), labels.end(),
            [](const Label& a, const Label& b) { return a.name < b.name; });
  return labels;
}

// Reads a Result into `out`, or returns its error from the enclosing lambda.
#define MC_ASSIGN_OR_RETURN(out, expression) \
  do {                                       \
    auto result_ = (expression);             \
    if (!result_) return result_.status();   \
    (out) = std::move(*result_);             \
  } while (false)

Status read_global(const YamlReader& reader, const YAML::Node& node, GlobalConfig& global,
                   GlobalNodes& nodes) {
  const std::string_view where = "global";
  return reader.read_fields(
      node, where,
      {
          {"scrape_interval",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(global.scrape_interval,
                                 reader.read_duration(value, "global.scrape_interval"));
             return Status::ok();
           }},
          {"scrape_timeout",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(global.scrape_timeout,
                                 reader.read_duration(value, "global.scrape_timeout"));
             nodes.scrape_timeout = value;
             return Status::ok();
           }},
          {"external_labels",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(global.external_labels,
                                 read_labels(reader, value, "global.external_labels"));
             return Status::ok();
           }},
      });
}

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

Status read_scrape_config(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                          ScrapeConfig& job, ScrapeConfigNodes& nodes) {
  nodes.mapping = node;
  auto path = [&](std::string_view field) { return join_path(where, field); };
  return reader.read_fields(
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
             if (job.scheme == "https") {
               return reader.error_at(value, fmt::format("{}: scheme \"https\" is not supported "
                                                         "yet (only http)",
                                                         path("scheme")));
             }
             if (job.scheme != "http") {
               return reader.error_at(value, fmt::format("{}: invalid scheme {:?} (want http)",
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
      });
}

#undef MC_ASSIGN_OR_RETURN

// Prometheus's GlobalConfig rules: zero means unset; an explicit timeout may
// not exceed the interval; an implicit one is min(10s, interval).
Status finish_global(const YamlReader& reader, GlobalConfig& global, const GlobalNodes& nodes) {
  const GlobalConfig defaults;
  if (global.scrape_interval.count() == 0) global.scrape_interval = defaults.scrape_interval;
  bool timeout_given = !nodes.scrape_timeout.IsNull() && global.scrape_timeout.count() != 0;
  if (timeout_given && global.scrape_timeout > global.scrape_interval) {
    return reader.error_at(nodes.scrape_timeout,
                           "global scrape timeout greater than scrape interval");
  }
  if (!timeout_given)
    global.scrape_timeout = std::min(defaults.scrape_timeout, global.scrape_interval);
  return Status::ok();
}

// Prometheus's ScrapeConfig rules: a job inherits the global interval; an
// explicit timeout may not exceed the job's interval; an inherited timeout is
// cut down to the interval.
Status finish_scrape_configs(const YamlReader& reader, Config& config,
                             const std::vector<ScrapeConfigNodes>& nodes) {
  std::set<std::string_view> job_names;
  for (size_t i = 0; i < config.scrape_configs.size(); ++i) {
    ScrapeConfig& job = config.scrape_configs[i];
    const ScrapeConfigNodes& job_nodes = nodes[i];
    std::string where = index_path("scrape_configs", i);
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
    if (job.scrape_interval.count() == 0) job.scrape_interval = config.global.scrape_interval;
    if (job.scrape_timeout > job.scrape_interval) {
      return reader.error_at(
          job_nodes.scrape_timeout,
          fmt::format("scrape timeout greater than scrape interval for scrape config with job "
                      "name {:?}",
                      job.job_name));
    }
    if (job.scrape_timeout.count() == 0) {
      job.scrape_timeout = std::min(config.global.scrape_timeout, job.scrape_interval);
    }
  }
  return Status::ok();
}

Result<Config> read_config(const YamlReader& reader, const YAML::Node& root) {
  Config config;
  GlobalNodes global_nodes;
  std::vector<ScrapeConfigNodes> scrape_config_nodes;
  // One entry per top-level section; a new section is one more line here and
  // a read_<section> function above.
  Status status = reader.read_fields(
      root, "",
      {
          {"global",
           [&](const YAML::Node& value) {
             return read_global(reader, value, config.global, global_nodes);
           }},
          {"scrape_configs",
           [&](const YAML::Node& value) {
             return reader.for_each_item(
                 value, "scrape_configs", [&](const YAML::Node& item, size_t index) -> Status {
                   if (item.IsNull()) {
                     return reader.error_at(item, fmt::format("{}: empty or null scrape config",
                                                              index_path("scrape_configs", index)));
                   }
                   config.scrape_configs.emplace_back();
                   scrape_config_nodes.emplace_back();
                   return read_scrape_config(reader, item, index_path("scrape_configs", index),
                                             config.scrape_configs.back(),
                                             scrape_config_nodes.back());
                 });
           }},
      });
  if (!status) return status;
  if (status = finish_global(reader, config.global, global_nodes); !status) return status;
  if (status = finish_scrape_configs(reader, config, scrape_config_nodes); !status) return status;
  return config;
}

}  // namespace

Result<Config> parse_config(std::string_view yaml, std::string_view source_name) {
  YamlReader reader(source_name);
  // yaml-cpp reports syntax errors (and a few others) by throwing; they stop here.
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    return read_config(reader, root);
  } catch (const YAML::Exception& error) {
    return reader.error_at(error.mark, error.msg);
  } catch (const std::exception& error) {
    return Status::error(fmt::format("{}: cannot parse config: {}", source_name, error.what()));
  }
}

Result<Config> load_config_file(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  auto cannot_read = [&](int error_number) {
    return Status::error(
        fmt::format("cannot read config file {:?}: {}", path, std::strerror(error_number)));
  };
  if (!file) return cannot_read(errno);
  std::string content;
  char buffer[64 * 1024];
  while (true) {
    size_t count = std::fread(buffer, 1, sizeof buffer, file.get());
    content.append(buffer, count);
    if (count < sizeof buffer) break;
  }
  if (std::ferror(file.get())) return cannot_read(errno);
  return parse_config(content, path);
}

}  // namespace mc
