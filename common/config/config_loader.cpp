// Loading a whole config document: the top level's sections, each read by
// its own file (global_section, scrape_config_section, sql_section,
// storage_section), then checked together once all are read.
#include <exception>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "common/config/config.hpp"
#include "common/config/global_section.hpp"
#include "common/config/scrape_config_section.hpp"
#include "common/config/sql_section.hpp"
#include "common/config/storage_section.hpp"
#include "common/config/yaml_reader.hpp"
#include "common/util/read_file.hpp"

namespace mc {

namespace {

Result<Config> read_config(const YamlReader& reader, const YAML::Node& root) {
  Config config;
  GlobalNodes global_nodes;
  std::vector<ScrapeConfigNodes> scrape_config_nodes;
  std::vector<SqlDatabaseNodes> sql_nodes;
  StorageNodes storage_nodes;
  // One entry per top-level section; a new section is one more line here and
  // a <section>_section file.
  Status status = reader.read_fields(
      root, "",
      {
          {"global",
           [&](const YAML::Node& value) {
             return read_global(reader, value, config.global, global_nodes);
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
                   return read_scrape_config(reader, item, index_path("scrape_configs", index),
                                             config.scrape_configs.back(),
                                             scrape_config_nodes.back());
                 });
           }},
          {"sql",
           [&](const YAML::Node& value) { return read_sql(reader, value, config.sql, sql_nodes); }},
          {"storage",
           [&](const YAML::Node& value) {
             return read_storage(reader, value, config.storage, storage_nodes);
           }},
      });
  if (!status) return status;
  if (status = finish_global(reader, config.global, global_nodes); !status) return status;
  if (status = finish_scrape_configs(reader, config, scrape_config_nodes); !status) return status;
  if (status = finish_sql(reader, config.sql, sql_nodes); !status) return status;
  if (status = finish_storage(reader, config.storage, storage_nodes); !status) return status;
  return config;
}

}  // namespace

Result<Config> parse_config(std::string_view yaml, std::string_view source_name) {
  YamlReader reader(source_name);
  // yaml-cpp reports syntax errors (and a few others) by throwing; they stop here.
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    return read_config(reader, root);
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
