// Loading a whole config document: the top level's sections, each read by
// its own file (global_section, scrape_config_section, sql_section,
// storage_section), then checked together once all are read.
#include <exception>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "common/config/config.hpp"
#include "common/config/diagnostics.hpp"
#include "common/config/global_section.hpp"
#include "common/config/prometheus_keys.hpp"
#include "common/config/scrape_config_section.hpp"
#include "common/config/sql_section.hpp"
#include "common/config/storage_section.hpp"
#include "common/config/yaml_reader.hpp"
#include "common/util/read_file.hpp"

namespace mc {

namespace {

// Reads every section, then finishes each that read without errors (a
// broken section would only add follow-on errors). Errors go to the reader's
// diagnostics; the caller turns them into the result.
Config read_config(const YamlReader& reader, const YAML::Node& root) {
  Config config;
  GlobalNodes global_nodes;
  std::vector<ScrapeConfigNodes> scrape_config_nodes;
  std::vector<SqlDatabaseNodes> sql_nodes;
  StorageNodes storage_nodes;
  Status global_read, sql_read, storage_read;
  // One entry per top-level section; a new section is one more line here and
  // a <section>_section file.
  (void)reader.report(reader.read_fields(
      root, "",
      {
          {"global",
           [&](const YAML::Node& value) {
             global_read = read_global(reader, value, config.global, global_nodes);
             return global_read;
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
                   Status read =
                       read_scrape_config(reader, item, index_path("scrape_configs", index),
                                          config.scrape_configs.back(), scrape_config_nodes.back());
                   scrape_config_nodes.back().read_ok = read.is_ok();
                   return read;
                 });
           }},
          {"sql",
           [&](const YAML::Node& value) {
             sql_read = read_sql(reader, value, config.sql, sql_nodes);
             return sql_read;
           }},
          {"storage",
           [&](const YAML::Node& value) {
             storage_read = read_storage(reader, value, config.storage, storage_nodes);
             return storage_read;
           }},
      },
      prometheus_top_level_keys()));
  if (global_read) (void)reader.report(finish_global(reader, config.global, global_nodes));
  (void)reader.report(finish_scrape_configs(reader, config, scrape_config_nodes));
  if (sql_read) (void)reader.report(finish_sql(reader, config.sql, sql_nodes));
  if (storage_read) {
    (void)reader.report(finish_storage(reader, config.storage, storage_nodes));
  }
  return config;
}

}  // namespace

Result<Config> parse_config(std::string_view yaml, std::string_view source_name) {
  Diagnostics diagnostics(source_name);
  YamlReader reader(source_name, &diagnostics);
  // yaml-cpp reports syntax errors (and a few others) by throwing; they stop here.
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    Config config = read_config(reader, root);
    if (diagnostics.has_errors()) return diagnostics.errors();
    config.warnings = diagnostics.warnings();
    return config;
  } catch (const YAML::Exception& error) {
    return reader.error_at(error.mark, error.msg);
  } catch (const std::exception& error) {
    return Status::error(fmt::format("{}: cannot parse config: {}", source_name, error.what()));
  }
}

Result<Config> load_config_file(const std::string& path) {
  auto content = read_file(path);
  if (!content) {
    return Status::error(fmt::format("cannot read config file {:?}: {}", path, content.error()));
  }
  return parse_config(*content, path);
}

}  // namespace mc
