#include "common/config/yaml_reader.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <unordered_map>

#include <fmt/format.h>

#include "common/util/byte_size.hpp"
#include "common/util/duration.hpp"

namespace mc {

namespace {

// YAML 1.1 booleans as Go's yaml.v2 resolves them (resolve.go), which is what
// Prometheus decodes its config with.
constexpr std::array<std::string_view, 11> kTrueWords = {
    "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
constexpr std::array<std::string_view, 11> kFalseWords = {
    "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};

// yaml-cpp tags a plain (unquoted) scalar "?" and a quoted one "!".
constexpr std::string_view kPlainScalarTag = "?";
constexpr std::string_view kBoolTag = "tag:yaml.org,2002:bool";

bool contains(const auto& words, std::string_view word) {
  return std::ranges::any_of(words,
                             [word](std::string_view candidate) { return candidate == word; });
}

}  // namespace

Status YamlReader::error_at(const YAML::Mark& mark, std::string_view message) const {
  if (mark.is_null() || mark.line < 0 || mark.column < 0) {
    return Status::error(fmt::format("{}: {}", source_name_, message));
  }
  return Status::error(
      fmt::format("{}:{}:{}: {}", source_name_, mark.line + 1, mark.column + 1, message));
}

Status YamlReader::error_at(const YAML::Node& node, std::string_view message) const {
  return error_at(node.Mark(), message);
}

std::string_view YamlReader::kind_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a sequence";
    case YAML::NodeType::Scalar:
      return "a string";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "null";
}

Status YamlReader::for_each_entry(const YAML::Node& mapping, std::string_view where,
                                  const EntryVisitor& visit) const {
  if (mapping.IsNull()) return Status::ok();
  if (!mapping.IsMap()) {
    return error_at(mapping, fmt::format("{}: expected a mapping, got {}",
                                         where.empty() ? "document" : where, kind_name(mapping)));
  }
  // yaml-cpp keeps both entries of a repeated key; yaml.v2 (strict) rejects it.
  std::unordered_map<std::string, int> first_line_of_key;
  for (const auto& entry : mapping) {
    const YAML::Node& key = entry.first;
    if (!key.IsScalar()) {
      return error_at(key, fmt::format("{}: a key must be a string, got {}",
                                       where.empty() ? "document" : where, kind_name(key)));
    }
    auto [it, inserted] = first_line_of_key.emplace(key.Scalar(), key.Mark().line + 1);
    if (!inserted) {
      return error_at(key, fmt::format("duplicate key {:?} in {} (first at line {})", key.Scalar(),
                                       where.empty() ? "document" : where, it->second));
    }
    if (Status status = visit(key.Scalar(), key, entry.second); !status) return status;
  }
  return Status::ok();
}

Status YamlReader::read_fields(const YAML::Node& mapping, std::string_view where,
                               std::initializer_list<Field> fields) const {
  return for_each_entry(
      mapping, where,
      [&](std::string_view key, const YAML::Node& key_node, const YAML::Node& value) -> Status {
        for (const Field& field : fields) {
          if (field.key != key) continue;
          if (value.IsNull()) return Status::ok();  // `key:` alone leaves the default
          return field.read(value);
        }
        if (where.empty()) {
          return error_at(key_node, fmt::format("unknown field {:?} at top level", key));
        }
        return error_at(key_node, fmt::format("unknown field {:?} in {}", key, where));
      });
}

Status YamlReader::for_each_item(
    const YAML::Node& sequence, std::string_view where,
    const std::function<Status(const YAML::Node& item, size_t index)>& visit) const {
  if (sequence.IsNull()) return Status::ok();
  if (!sequence.IsSequence()) {
    return error_at(sequence,
                    fmt::format("{}: expected a sequence, got {}", where, kind_name(sequence)));
  }
  for (size_t index = 0; index < sequence.size(); ++index) {
    if (Status status = visit(sequence[index], index); !status) return status;
  }
  return Status::ok();
}

Result<std::string> YamlReader::read_string(const YAML::Node& node, std::string_view where) const {
  if (!node.IsScalar()) {
    return error_at(node, fmt::format("{}: expected a string, got {}", where, kind_name(node)));
  }
  return node.Scalar();
}

Result<bool> YamlReader::read_bool(const YAML::Node& node, std::string_view where) const {
  if (node.IsScalar() && (node.Tag() == kPlainScalarTag || node.Tag() == kBoolTag)) {
    if (contains(kTrueWords, node.Scalar())) return true;
    if (contains(kFalseWords, node.Scalar())) return false;
  }
  if (node.IsScalar()) {
    return error_at(node,
                    fmt::format("{}: expected true or false, got {:?}", where, node.Scalar()));
  }
  return error_at(node, fmt::format("{}: expected true or false, got {}", where, kind_name(node)));
}

Result<std::chrono::milliseconds> YamlReader::read_duration(const YAML::Node& node,
                                                            std::string_view where) const {
  auto text = read_string(node, where);
  if (!text) return text.status();
  auto duration = parse_duration(*text);
  if (!duration) return error_at(node, fmt::format("{}: {}", where, duration.error()));
  return *duration;
}

Result<uint64_t> YamlReader::read_byte_size(const YAML::Node& node, std::string_view where) const {
  auto text = read_string(node, where);
  if (!text) return text.status();
  auto bytes = parse_byte_size(*text);
  if (!bytes) return error_at(node, fmt::format("{}: {}", where, bytes.error()));
  return *bytes;
}

Result<int64_t> YamlReader::read_int(const YAML::Node& node, std::string_view where, int64_t min,
                                     int64_t max) const {
  auto text = read_string(node, where);
  if (!text) return text.status();
  int64_t value = 0;
  const char* first = text->data();
  const char* last = first + text->size();
  if (!text->empty() && *first == '+') ++first;  // yaml.v2 reads "+3" as 3
  auto [end, error] = std::from_chars(first, last, value);
  if (text->empty() || error != std::errc() || end != last || value < min || value > max) {
    return error_at(node, fmt::format("{}: expected an integer from {} to {}, got {:?}", where, min,
                                      max, *text));
  }
  return value;
}

Result<std::vector<std::string>> YamlReader::read_string_list(const YAML::Node& node,
                                                              std::string_view where) const {
  std::vector<std::string> strings;
  Status status = for_each_item(node, where, [&](const YAML::Node& item, size_t index) -> Status {
    auto text = read_string(item, index_path(where, index));
    if (!text) return text.status();
    strings.push_back(std::move(*text));
    return Status::ok();
  });
  if (!status) return status;
  return strings;
}

std::string join_path(std::string_view parent, std::string_view child) {
  if (parent.empty()) return std::string(child);
  return fmt::format("{}.{}", parent, child);
}

std::string index_path(std::string_view sequence, size_t index) {
  return fmt::format("{}[{}]", sequence, index);
}

}  // namespace mc
