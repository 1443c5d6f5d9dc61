// YamlReader: strict, typed reading of a yaml-cpp node tree for the config loader.
//
// Private to common/config (yaml-cpp types stay out of public headers). Every
// error it builds reads "source:line:col: message" with a 1-based line and
// column; unknown keys, keys given twice and values of the wrong kind are
// errors, as with Prometheus's strict YAML decoding. A null value (`key:` or
// `key: ~`) counts as absent, as in Go's yaml.v2.
//
// Given a Diagnostics, a reader reports each error there and goes on with the
// next key or item, so one pass finds every error of a document; without one
// it stops at the first. Keys that Prometheus accepts and we do not act on
// (ForeignKey) become a warning or an error naming the key.
//
// Thread-safety: const methods may be called from any thread when the reader
// has no Diagnostics; with one, from one thread at a time (they add to it).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/config/diagnostics.hpp"
#include "common/util/status.hpp"

namespace mc {

// A key of a Prometheus config that metrics-collector does not act on.
struct ForeignKey {
  std::string_view key;
  // Why leaving it out changes nothing that is scraped or stored, for the
  // warning ("metrics-collector evaluates no rules"); empty: it always would.
  std::string_view harmless_because;
  // When set, whether this value is harmless (e.g. an empty list); otherwise
  // every value is, given harmless_because.
  bool (*harmless_value)(const YAML::Node& value) = nullptr;
  // For the error: what to do instead ("list the targets in static_configs").
  std::string_view instead;
};

class YamlReader {
 public:
  // `diagnostics`, when given, collects every error and warning (see above).
  explicit YamlReader(std::string_view source_name, Diagnostics* diagnostics = nullptr)
      : source_name_(source_name), diagnostics_(diagnostics) {}

  // "source:line:col: message" at `node`, or "source: message" when the node
  // has no position (an empty document).
  Status error_at(const YAML::Node& node, std::string_view message) const;
  Status error_at(const YAML::Mark& mark, std::string_view message) const;

  // One known key of a mapping and what to do with its (non-null) value.
  struct Field {
    std::string_view key;
    std::function<Status(const YAML::Node& value)> read;
  };

  // "source:line:col: message" as a warning, when collecting diagnostics.
  void warn_at(const YAML::Node& node, std::string_view message) const;
  // Keeps `error` with the diagnostics, when collecting them; returns it.
  Status report(Status error) const;

  // Calls the matching field's `read` for each key of `mapping`, in file order.
  // `where` names the mapping in errors ("global", "scrape_configs[0]"; empty
  // for the document itself). A null `mapping` is an empty one. A key in
  // `foreign` is a warning when harmless, else an error naming it; any other
  // unknown key is an error, with a close known key suggested.
  Status read_fields(const YAML::Node& mapping, std::string_view where,
                     std::initializer_list<Field> fields,
                     std::span<const ForeignKey> foreign = {}) const;
  // The same with more known keys, from a section that several mappings
  // inline (http_client_section.hpp's HTTP client keys).
  Status read_fields(const YAML::Node& mapping, std::string_view where,
                     std::initializer_list<Field> fields, std::span<const Field> more_fields,
                     std::span<const ForeignKey> foreign = {}) const;

  // The name errors start with: the config file's path when read from a file.
  std::string_view source_name() const { return source_name_; }

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
  // A Prometheus duration ("15s", "1m30s"); see common/util/duration.hpp. A
  // fraction ("1.5s") fails, as in Prometheus, saying how to write it ("1s500ms").
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
  // Whether to go on after `status` failed: only when collecting diagnostics,
  // which then hold it. `first_error` keeps the first failure to return.
  bool continue_after(const Status& status, Status& first_error) const;
  Status read_known_fields(const YAML::Node& mapping, std::string_view where,
                           std::span<const Field> fields, std::span<const Field> more_fields,
                           std::span<const ForeignKey> foreign) const;
  Status read_foreign_key(const ForeignKey& foreign, std::string_view where,
                          const YAML::Node& key_node, const YAML::Node& value) const;

  std::string source_name_;
  Diagnostics* diagnostics_;  // may be null
};

// Joins a path for error messages: ("scrape_configs[0]", "static_configs") ->
// "scrape_configs[0].static_configs"; an empty parent gives the child alone.
std::string join_path(std::string_view parent, std::string_view child);
// "scrape_configs" and 2 -> "scrape_configs[2]".
std::string index_path(std::string_view sequence, size_t index);

}  // namespace mc
