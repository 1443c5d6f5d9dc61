// The `sql:` section: PostgreSQL databases and the queries whose results
// become metrics (docs/business-metrics.md). read_sql() takes each database
// and query and checks each on its own; finish_sql() checks them together
// (unique names, static labels merged, no two queries making one series).
//
// Private to common/config. Stateless; callable from any thread.
#pragma once

#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/config/config.hpp"
#include "common/config/yaml_reader.hpp"
#include "common/util/status.hpp"

namespace mc {

// Where an SQL database's and its queries' values came from, for the checks
// that need the whole entry (required fields, cross-field rules).
struct SqlQueryNodes {
  YAML::Node mapping;
  YAML::Node name;
  YAML::Node metric;
  YAML::Node interval;
  YAML::Node timeout;
  std::vector<YAML::Node> value_columns;         // one per value column
  std::vector<YAML::Node> initial_label_values;  // one per declared label value set
  std::vector<Label> own_static_labels;          // before the database's are merged in
};

struct SqlDatabaseNodes {
  YAML::Node mapping;
  YAML::Node name;
  std::vector<YAML::Node> dsn_sources;  // each dsn / dsn_env / dsn_file given
  std::vector<Label> static_labels;
  std::vector<SqlQueryNodes> queries;
};

Status read_sql(const YamlReader& reader, const YAML::Node& node, SqlConfig& sql,
                std::vector<SqlDatabaseNodes>& nodes);

// Names unique where they must be; static labels merged (the query's win over
// the database's) and kept apart from the label columns.
Status finish_sql(const YamlReader& reader, SqlConfig& sql,
                  const std::vector<SqlDatabaseNodes>& nodes);

}  // namespace mc
