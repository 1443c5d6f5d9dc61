#include "collector/discovery/target_group_parser.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "common/model/label_name.hpp"
#include "common/util/utf8.hpp"

namespace mc {

namespace {

class GroupReader {
 public:
  GroupReader(std::string_view name, TargetGroupFormat format) : name_(name), format_(format) {}

  Status error_at(const YAML::Mark& mark, std::string_view message) const {
    return Status::error(
        fmt::format("{}:{}:{}: {}", name_, mark.line + 1, mark.column + 1, message));
  }

  Result<std::string> scalar(const YAML::Node& node, std::string_view what) const {
    if (!node.IsScalar()) {
      return error_at(node.Mark(), fmt::format("{}: expected a string, got {}", what,
                                               node.IsMap()        ? "a mapping"
                                               : node.IsSequence() ? "a sequence"
                                                                   : "null"));
    }
    return node.Scalar();
  }

  Result<TargetGroup> group(const YAML::Node& node, size_t index) const {
    const std::string where = fmt::format("target group {}", index);
    if (node.IsNull()) return error_at(node.Mark(), "nil target group item found");
    if (!node.IsMap()) return error_at(node.Mark(), where + ": expected a mapping");
    TargetGroup group;
    for (const auto& entry : node) {
      auto key = scalar(entry.first, where);
      if (!key) return key.status();
      if (*key == "targets") {
        if (entry.second.IsNull()) continue;
        if (!entry.second.IsSequence()) {
          return error_at(entry.second.Mark(), where + ": targets: expected a list of strings");
        }
        for (const auto& target : entry.second) {
          auto address = scalar(target, where + ": targets");
          if (!address) return address.status();
          group.targets.push_back({Label{"__address__", std::move(*address)}});
        }
      } else if (*key == "labels") {
        if (entry.second.IsNull()) continue;
        if (!entry.second.IsMap()) {
          return error_at(entry.second.Mark(), where + ": labels: expected a mapping");
        }
        for (const auto& label : entry.second) {
          auto label_name = scalar(label.first, where + ": labels");
          if (!label_name) return label_name.status();
          if (!is_valid_label_name(*label_name)) {
            return error_at(label.first.Mark(),
                            fmt::format("{:?} is not a valid label name", *label_name));
          }
          std::string value;
          if (!label.second.IsNull()) {
            auto text = scalar(label.second, where + ": labels: " + *label_name);
            if (!text) return text.status();
            value = std::move(*text);
          }
          if (!is_valid_utf8(value)) {
            return error_at(label.second.Mark(),
                            fmt::format("{:?} is not a valid label value", value));
          }
          if (value.empty()) continue;
          group.labels.push_back(Label{std::move(*label_name), std::move(value)});
        }
      } else if (format_ == TargetGroupFormat::yaml) {
        return error_at(entry.first.Mark(),
                        fmt::format("{}: unknown key {:?} (want targets, labels)", where, *key));
      }
    }
    std::ranges::sort(group.labels, [](const Label& a, const Label& b) { return a.name < b.name; });
    auto same_name = std::ranges::adjacent_find(
        group.labels, [](const Label& a, const Label& b) { return a.name == b.name; });
    if (same_name != group.labels.end()) {
      return error_at(node.Mark(),
                      fmt::format("{}: label {:?} given twice", where, same_name->name));
    }
    return group;
  }

 private:
  std::string_view name_;
  TargetGroupFormat format_;
};

}  // namespace

Result<std::vector<TargetGroup>> parse_target_groups(std::string_view text, std::string_view name,
                                                     TargetGroupFormat format) {
  GroupReader reader(name, format);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    return reader.error_at(error.mark, error.msg);
  }
  std::vector<TargetGroup> groups;
  if (root.IsNull()) {
    // An empty YAML document is an empty list; JSON has no empty document.
    if (format == TargetGroupFormat::json) {
      return Status::error(fmt::format("{}: unexpected end of JSON input", name));
    }
    return groups;
  }
  if (!root.IsSequence()) {
    return reader.error_at(root.Mark(), "expected a list of target groups");
  }
  for (size_t i = 0; i < root.size(); ++i) {
    auto group = reader.group(root[i], i);
    if (!group) return group.status();
    groups.push_back(std::move(*group));
  }
  return groups;
}

TargetGroup removed_group(std::string source) {
  TargetGroup group;
  group.source = std::move(source);
  return group;
}

size_t count_targets(const std::vector<TargetGroup>& groups) {
  size_t count = 0;
  for (const auto& group : groups) count += group.targets.size();
  return count;
}

}  // namespace mc
