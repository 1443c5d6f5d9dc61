#include "common/config/field_readers.hpp"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "common/model/label_name.hpp"
#include "common/util/utf8.hpp"

namespace mc {

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

// given, records the node so that inheritance can tell "absent" from "0".
YamlReader::Field count_field(const YamlReader& reader, std::string_view key, std::string where,
                              uint64_t& out, YAML::Node* seen) {
  return {key, [&reader, where = std::move(where), &out, seen](const YAML::Node& value) -> Status {
            auto count = reader.read_int(value, where, 0, INT64_MAX);
            if (!count) return count.status();
            out = static_cast<uint64_t>(*count);
            if (seen != nullptr) *seen = value;
            return Status::ok();
          }};
}

}  // namespace mc
