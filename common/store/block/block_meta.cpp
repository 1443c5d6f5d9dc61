#include "common/store/block/block_meta.hpp"

#include <fmt/format.h>

#include <array>
#include <set>

#include "common/store/block/meta_json.hpp"

namespace mc::block {

namespace {

constexpr std::array<std::string_view, 12> kColumnKindNames = {"value",
                                                               "count",
                                                               "sum",
                                                               "min",
                                                               "max",
                                                               "counter",
                                                               "first_raw_value",
                                                               "first_raw_time",
                                                               "last_raw_value",
                                                               "last_raw_time",
                                                               "window_first_age",
                                                               "window_first_counter"};

std::string quote_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += json_quote(items[i]);
  }
  return out + "]";
}

// Reads the keys of a parsed meta.json object, remembering the first error.
class MetaFields {
 public:
  MetaFields(const JsonObject& object, const std::string& path) : object_(object), path_(path) {}

  int64_t integer(std::string_view key) {
    const JsonValue* value = find(key);
    if (value == nullptr) return 0;
    if (const auto* i = std::get_if<int64_t>(value)) return *i;
    fail(fmt::format("\"{}\" must be an integer", key));
    return 0;
  }
  uint64_t count(std::string_view key) {
    const int64_t value = integer(key);
    if (value < 0) fail(fmt::format("\"{}\" must not be negative", key));
    return static_cast<uint64_t>(value);
  }
  std::string string(std::string_view key) {
    const JsonValue* value = find(key);
    if (value == nullptr) return {};
    if (const auto* s = std::get_if<std::string>(value)) return *s;
    fail(fmt::format("\"{}\" must be a string", key));
    return {};
  }
  std::vector<std::string> strings(std::string_view key) {
    const JsonValue* value = find(key);
    if (value == nullptr) return {};
    if (const auto* s = std::get_if<std::vector<std::string>>(value)) return *s;
    fail(fmt::format("\"{}\" must be an array of strings", key));
    return {};
  }
  void fail(const std::string& message) {
    if (status_.is_ok()) status_ = Status::error(path_ + ": " + message);
  }
  // An unknown key is reported before a missing one: a misspelt key is both.
  Status finish() {
    for (const auto& [key, value] : object_) {
      if (!seen_.contains(key)) {
        return Status::error(fmt::format("{}: unknown key \"{}\"", path_, key));
      }
    }
    return status_;
  }

 private:
  const JsonValue* find(std::string_view key) {
    seen_.insert(std::string(key));
    const auto it = object_.find(key);
    if (it != object_.end()) return &it->second;
    fail(fmt::format("missing key \"{}\"", key));
    return nullptr;
  }

  const JsonObject& object_;
  const std::string& path_;
  std::set<std::string, std::less<>> seen_;
  Status status_;
};

}  // namespace

std::string_view column_kind_name(ColumnKind kind) {
  const auto index = static_cast<size_t>(kind);
  return index < kColumnKindNames.size() ? kColumnKindNames[index] : "unknown";
}

std::optional<ColumnKind> parse_column_kind(std::string_view name) {
  for (size_t i = 0; i < kColumnKindNames.size(); ++i) {
    if (kColumnKindNames[i] == name) return static_cast<ColumnKind>(i);
  }
  return std::nullopt;
}

std::string block_dir_name(const BlockMeta& meta) {
  return fmt::format("{}-{}-{}", meta.tier, meta.min_time, meta.max_time);
}

std::string meta_to_json(const BlockMeta& meta) {
  std::vector<std::string> columns;
  for (const ColumnKind kind : meta.columns) columns.emplace_back(column_kind_name(kind));
  return fmt::format(
      "{{\n"
      "  \"version\": {},\n"
      "  \"tier\": {},\n"
      "  \"resolution_ms\": {},\n"
      "  \"min_time\": {},\n"
      "  \"max_time\": {},\n"
      "  \"series\": {},\n"
      "  \"samples\": {},\n"
      "  \"chunks\": {},\n"
      "  \"data_bytes\": {},\n"
      "  \"index_bytes\": {},\n"
      "  \"columns\": {},\n"
      "  \"compaction_level\": {},\n"
      "  \"sources\": {}\n"
      "}}\n",
      meta.version, json_quote(meta.tier), meta.resolution_ms, meta.min_time, meta.max_time,
      meta.series, meta.samples, meta.chunks, meta.data_bytes, meta.index_bytes,
      quote_list(columns), meta.compaction_level, quote_list(meta.sources));
}

Result<BlockMeta> parse_meta_json(std::string_view json, const std::string& path) {
  auto object = parse_json_object(json);
  if (!object) return Status::error(path + ": " + object.error());
  MetaFields fields(*object, path);
  BlockMeta meta;
  meta.version = static_cast<int>(fields.integer("version"));
  meta.tier = fields.string("tier");
  meta.resolution_ms = fields.integer("resolution_ms");
  meta.min_time = fields.integer("min_time");
  meta.max_time = fields.integer("max_time");
  meta.series = fields.count("series");
  meta.samples = fields.count("samples");
  meta.chunks = fields.count("chunks");
  meta.data_bytes = fields.count("data_bytes");
  meta.index_bytes = fields.count("index_bytes");
  meta.columns.clear();
  for (const auto& name : fields.strings("columns")) {
    const auto kind = parse_column_kind(name);
    if (!kind) {
      fields.fail(fmt::format("unknown column kind \"{}\"", name));
      break;
    }
    meta.columns.push_back(*kind);
  }
  meta.compaction_level = static_cast<int>(fields.integer("compaction_level"));
  meta.sources = fields.strings("sources");
  if (Status status = fields.finish(); !status) return status;
  if (meta.version != kBlockFormatVersion) {
    return Status::error(fmt::format("{}: unsupported format version {} (this build reads {})",
                                     path, meta.version, kBlockFormatVersion));
  }
  if (meta.tier.empty()) return Status::error(path + ": empty tier");
  if (meta.columns.empty()) return Status::error(path + ": no columns");
  if (meta.min_time > meta.max_time) return Status::error(path + ": min_time after max_time");
  return meta;
}

}  // namespace mc::block
