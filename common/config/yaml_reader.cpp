#include "common/config/yaml_reader.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <unordered_map>

#include <fmt/format.h>

#include "common/config/closest_key.hpp"
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

void YamlReader::warn_at(const YAML::Node& node, std::string_view message) const {
  if (diagnostics_ != nullptr) diagnostics_->add_warning(error_at(node, message).message());
}

Status YamlReader::report(Status error) const {
  if (diagnostics_ != nullptr && !error.is_ok()) diagnostics_->add_error(error);
  return error;
}

bool YamlReader::continue_after(const Status& status, Status& first_error) const {
  if (status.is_ok()) return true;
  if (first_error.is_ok()) first_error = status;
  if (diagnostics_ == nullptr) return false;
  diagnostics_->add_error(status);
  return true;
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
  Status first_error;
  for (const auto& entry : mapping) {
    const YAML::Node& key = entry.first;
    Status status;
    if (!key.IsScalar()) {
      status = error_at(key, fmt::format("{}: a key must be a string, got {}",
                                         where.empty() ? "document" : where, kind_name(key)));
    } else if (auto [it, inserted] = first_line_of_key.emplace(key.Scalar(), key.Mark().line + 1);
               !inserted) {
      status =
          error_at(key, fmt::format("duplicate key {:?} in {} (first at line {})", key.Scalar(),
                                    where.empty() ? "document" : where, it->second));
    } else {
      status = visit(key.Scalar(), key, entry.second);
    }
    if (!continue_after(status, first_error)) return status;
  }
  return first_error;
}

Status YamlReader::read_foreign_key(const ForeignKey& foreign, std::string_view where,
                                    const YAML::Node& key_node, const YAML::Node& value) const {
  const std::string prefix = where.empty() ? "" : fmt::format("{}: ", where);
  const bool harmless = !foreign.harmless_because.empty() &&
                        (foreign.harmless_value == nullptr || foreign.harmless_value(value));
  if (harmless) {
    warn_at(key_node,
            fmt::format("{}{:?} is ignored: {}", prefix, foreign.key, foreign.harmless_because));
    return Status::ok();
  }
  return error_at(key_node, fmt::format("{}{:?} is not supported by metrics-collector yet; remove "
                                        "it{}{}",
                                        prefix, foreign.key, foreign.instead.empty() ? "" : " and ",
                                        foreign.instead));
}

Status YamlReader::read_fields(const YAML::Node& mapping, std::string_view where,
                               std::initializer_list<Field> fields,
                               std::span<const ForeignKey> foreign) const {
  return read_known_fields(mapping, where, std::span(fields.begin(), fields.size()), {}, foreign);
}

Status YamlReader::read_fields(const YAML::Node& mapping, std::string_view where,
                               std::initializer_list<Field> fields,
                               std::span<const Field> more_fields,
                               std::span<const ForeignKey> foreign) const {
  return read_known_fields(mapping, where, std::span(fields.begin(), fields.size()), more_fields,
                           foreign);
}

Status YamlReader::read_known_fields(const YAML::Node& mapping, std::string_view where,
                                     std::span<const Field> fields,
                                     std::span<const Field> more_fields,
                                     std::span<const ForeignKey> foreign) const {
  return for_each_entry(
      mapping, where,
      [&](std::string_view key, const YAML::Node& key_node, const YAML::Node& value) -> Status {
        for (std::span<const Field> list : {fields, more_fields}) {
          for (const Field& field : list) {
            if (field.key != key) continue;
            if (value.IsNull()) return Status::ok();  // `key:` alone leaves the default
            return field.read(value);
          }
        }
        for (const ForeignKey& known : foreign) {
          if (known.key != key) continue;
          if (value.IsNull()) return Status::ok();  // absent, as in Prometheus
          return read_foreign_key(known, where, key_node, value);
        }
        std::vector<std::string_view> known_keys;
        for (const Field& field : fields) known_keys.push_back(field.key);
        for (const Field& field : more_fields) known_keys.push_back(field.key);
        for (const ForeignKey& known : foreign) known_keys.push_back(known.key);
        std::string hint;
        if (auto guess = closest_key(key, known_keys)) {
          hint = fmt::format(" (did you mean {:?}?)", *guess);
        }
        if (where.empty()) {
          return error_at(key_node, fmt::format("unknown field {:?} at top level{}", key, hint));
        }
        return error_at(key_node, fmt::format("unknown field {:?} in {}{}", key, where, hint));
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
  Status first_error;
  for (size_t index = 0; index < sequence.size(); ++index) {
    Status status = visit(sequence[index], index);
    if (!continue_after(status, first_error)) return status;
  }
  return first_error;
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
  if (!duration) {
    // Prometheus takes no fractions, but Go's syntax does: say how to write it.
    std::string hint;
    auto go_duration = parse_go_duration(*text);
    if (go_duration && go_duration->count() > 0 &&
        *go_duration % std::chrono::milliseconds(1) == std::chrono::nanoseconds(0)) {
      const std::string spelling =
          format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(*go_duration));
      hint = text->find('.') != std::string::npos
                 ? fmt::format("; durations take no fractions: write {:?}", spelling)
                 : fmt::format("; write {:?} (units largest first, each once)", spelling);
    }
    return error_at(node, fmt::format("{}: {}{}", where, duration.error(), hint));
  }
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
