#include "common/config/relabel_section.hpp"

#include <cstdint>
#include <limits>

#include <fmt/format.h>

#include "common/config/field_readers.hpp"

namespace mc {

namespace {

Result<RelabelConfig> read_rule(const YamlReader& reader, const YAML::Node& node,
                                std::string_view where) {
  RelabelRuleFields fields;
  auto path = [&](std::string_view field) { return join_path(where, field); };
  Status read = reader.read_fields(
      node, where,
      {
          {"source_labels",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(fields.source_labels,
                                 reader.read_string_list(value, path("source_labels")));
             return Status::ok();
           }},
          {"separator",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(fields.separator, reader.read_string(value, path("separator")));
             return Status::ok();
           }},
          {"regex",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(fields.regex, reader.read_string(value, path("regex")));
             return Status::ok();
           }},
          {"modulus",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(
                 fields.modulus,
                 reader.read_int(value, path("modulus"), 0, std::numeric_limits<int64_t>::max()));
             return Status::ok();
           }},
          {"target_label",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(fields.target_label,
                                 reader.read_string(value, path("target_label")));
             return Status::ok();
           }},
          {"replacement",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(fields.replacement,
                                 reader.read_string(value, path("replacement")));
             return Status::ok();
           }},
          {"action",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(fields.action, reader.read_string(value, path("action")));
             return Status::ok();
           }},
      });
  if (!read) return read;
  // yaml.v2 leaves a null regex nil, which Prometheus then compiles as "":
  // `regex:` alone matches only the empty string, not everything.
  if (node["regex"] && node["regex"].IsNull()) fields.regex = "";
  auto rule = make_relabel_config(fields);
  if (!rule) return reader.error_at(node, fmt::format("{}: {}", where, rule.error()));
  return rule;
}

}  // namespace

Result<std::vector<RelabelConfig>> read_relabel_configs(const YamlReader& reader,
                                                        const YAML::Node& node,
                                                        std::string_view where,
                                                        std::string_view null_rule_error) {
  std::vector<RelabelConfig> rules;
  Status status =
      reader.for_each_item(node, where, [&](const YAML::Node& item, size_t index) -> Status {
        const std::string item_path = index_path(where, index);
        if (item.IsNull()) {
          // yaml-cpp marks a null item at the token after it, often another
          // key's line: the list's own position, with the index, misleads less.
          return reader.error_at(node, fmt::format("{}: {}", item_path, null_rule_error));
        }
        auto rule = read_rule(reader, item, item_path);
        if (!rule) return rule.status();
        rules.push_back(std::move(*rule));
        return Status::ok();
      });
  if (!status) return status;
  return rules;
}

}  // namespace mc
