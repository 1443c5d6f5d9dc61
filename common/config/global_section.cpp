#include "common/config/global_section.hpp"

#include <algorithm>

#include "common/config/field_readers.hpp"
#include "common/config/prometheus_keys.hpp"

namespace mc {

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
          {"body_size_limit",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(global.body_size_limit,
                                 reader.read_byte_size(value, "global.body_size_limit"));
             return Status::ok();
           }},
          count_field(reader, "sample_limit", "global.sample_limit", global.sample_limit),
          count_field(reader, "label_limit", "global.label_limit", global.label_limit),
          count_field(reader, "label_name_length_limit", "global.label_name_length_limit",
                      global.label_name_length_limit),
          count_field(reader, "label_value_length_limit", "global.label_value_length_limit",
                      global.label_value_length_limit),
          {"external_labels",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(global.external_labels,
                                 read_labels(reader, value, "global.external_labels"));
             return Status::ok();
           }},
      },
      prometheus_global_keys());
}

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

}  // namespace mc
