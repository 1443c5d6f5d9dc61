// YamlReader: strict, typed reading of a yaml-cpp node tree for the config loader.
//
// Private to common/config (yaml-cpp types stay out of public headers). Every
// error it builds reads "source:line:col: message" with a 1-based line and
// column; unknown keys, keys given twice and values of the wrong kind are
// errors, as with Prometheus's strict YAML decoding. A null value (`key:` or
// `key: ~`) counts as absent, as in Go's yaml.v2.
//
// Thread-safety: stateless apart from the source name; const methods may be
// called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/util/status.hpp"

namespace mc {

class YamlReader {
 public:
  explicit YamlReader(std::string_view source_name) : source_name_(source_name) {}

  // "source:line:col: message" at `node`, or "source: message" when the node
  // has no position (an empty document).
  Status error_at(const YAML::Node& node, std::string_view message) const;
  Status error_at(const YAML::Mark& mark, std::string_view message) const;

  // One known key of a mapping and what to do with its (non-null) value.
  struct Field {
    std::string_view key;
    std::function<Status(const YAML::Node& value)> read;
  };

  // Calls the matching field's `read` for each key of `mapping`, in file order.
  // `where` names the mapping in errors ("global", "scrape_configs[0]"; empty
  // for the document itself). A null `mapping` is an empty one.
  Status read_fields(const YAML::Node& mapping, std::string_view where,
                     std::initializer_list<Field> fields) const;

  // Walks a mapping whose keys are data (labels, params): `visit` gets each
  // key's text, the key node (for error positions) and the value node. Keys
  // must be scalars and unique.
  using EntryVisitor = std::function<Status(std::string_view key, const YAML::Node& key_node,
                                            const YAML::Node& value)>;
  Status for_each_entry(const YAML::Node& mapping, std::string_view where,
                        const EntryVisitor& visit) const;

  // A sequence (a null node is an empty one); `visit` gets each item and its index.
  Status for_each_item(
      const YAML::Node& sequence, std::string_view where,
      const std::function<Status(const YAML::Node& item, size_t index)>& visit) const;

  // Any scalar is a string, as in yaml.v2 (`job_name: 123` is "123").
  Result<std::string> read_string(const YAML::Node& node, std::string_view where) const;
  // The YAML 1.1 booleans yaml.v2 accepts (true/false, yes/no, on/off, y/n in
  // three casings), unquoted; anything else, "true" in quotes included, fails.
  Result<bool> read_bool(const YAML::Node& node, std::string_view where) const;
  // A Prometheus duration ("15s", "1m30s"); see common/util/duration.hpp.
  Result<std::chrono::milliseconds> read_duration(const YAML::Node& node,
                                                  std::string_view where) const;
  // A byte size ("64MB", "0"; see common/util/byte_size.hpp).
  Result<uint64_t> read_byte_size(const YAML::Node& node, std::string_view where) const;
  // A decimal integer in [min, max] ("4", "-1"); anything else fails naming the range.
  Result<int64_t> read_int(const YAML::Node& node, std::string_view where, int64_t min,
                           int64_t max) const;
  // A sequence of strings.
  Result<std::vector<std::string>> read_string_list(const YAML::Node& node,
                                                    std::string_view where) const;

  // "a mapping", "a sequence", "a string" or "null": for "expected X, got Y".
  static std::string_view kind_name(const YAML::Node& node);

 private:
  std::string source_name_;
};

// Joins a path for error messages: ("scrape_configs[0]", "static_configs") ->
// "scrape_configs[0].static_configs"; an empty parent gives the child alone.
std::string join_path(std::string_view parent, std::string_view child);
// "scrape_configs" and 2 -> "scrape_configs[2]".
std::string index_path(std::string_view sequence, size_t index);

}  // namespace mc
