#include "common/config/sql_section.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "common/config/field_readers.hpp"
#include "common/model/label_name.hpp"
#include "common/util/utf8.hpp"

namespace mc {

namespace {

Status read_sql_value_column(const YamlReader& reader, const YAML::Node& node,
                             std::string_view where, SqlValueColumn& column) {
  // A plain string is the column alone; a mapping adds a suffix.
  if (node.IsScalar()) {
    MC_ASSIGN_OR_RETURN(column.column, reader.read_string(node, where));
  } else {
    YAML::Node column_node;
    Status status = reader.read_fields(
        node, where,
        {
            {"column",
             [&](const YAML::Node& value) -> Status {
               MC_ASSIGN_OR_RETURN(column.column,
                                   reader.read_string(value, join_path(where, "column")));
               column_node = value;
               return Status::ok();
             }},
            {"suffix",
             [&](const YAML::Node& value) -> Status {
               MC_ASSIGN_OR_RETURN(column.suffix,
                                   reader.read_string(value, join_path(where, "suffix")));
               return Status::ok();
             }},
        });
    if (!status) return status;
    if (column_node.IsNull()) {
      return reader.error_at(node, fmt::format("{}: missing required field \"column\"", where));
    }
  }
  if (column.column.empty()) return reader.error_at(node, fmt::format("{}: empty column", where));
  return Status::ok();
}

// Columns whose values become labels: each a label name, listed once.
Status read_label_columns(const YamlReader& reader, const YAML::Node& node,
                          const std::string& list_path, std::vector<std::string>& label_columns) {
  return reader.for_each_item(node, list_path, [&](const YAML::Node& item, size_t index) -> Status {
    std::string item_path = index_path(list_path, index);
    auto column = reader.read_string(item, item_path);
    if (!column) return column.status();
    if (!is_valid_label_name(*column) || column->starts_with("__")) {
      return reader.error_at(item, fmt::format("{}: {:?} cannot be a label name (want "
                                               "[a-zA-Z_][a-zA-Z0-9_]*, not starting with \"__\"); "
                                               "rename the column with AS",
                                               item_path, *column));
    }
    if (std::find(label_columns.begin(), label_columns.end(), *column) != label_columns.end()) {
      return reader.error_at(
          item, fmt::format("{}: label column {:?} is listed twice", item_path, *column));
    }
    label_columns.push_back(std::move(*column));
    return Status::ok();
  });
}

// The query's fields as given; `initial_values_node` keeps initial_label_values
// for later, since reading them needs label_columns, which may follow.
Status read_sql_query_fields(const YamlReader& reader, const YAML::Node& node,
                             std::string_view where, SqlQueryConfig& query, SqlQueryNodes& nodes,
                             YAML::Node& initial_values_node) {
  auto path = [&](std::string_view field) { return join_path(where, field); };
  return reader.read_fields(
      node, where,
      {
          {"name",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(query.name, reader.read_string(value, path("name")));
             nodes.name = value;
             return Status::ok();
           }},
          {"metric",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(query.metric, reader.read_string(value, path("metric")));
             nodes.metric = value;
             return Status::ok();
           }},
          {"help",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(query.help, reader.read_string(value, path("help")));
             return Status::ok();
           }},
          {"type",
           [&](const YAML::Node& value) -> Status {
             auto text = reader.read_string(value, path("type"));
             if (!text) return text.status();
             if (*text == "gauge") {
               query.type = MetricType::gauge;
             } else if (*text == "counter") {
               query.type = MetricType::counter;
             } else {
               return reader.error_at(value, fmt::format("{}: unknown metric type {:?} (want "
                                                         "gauge or counter)",
                                                         path("type"), *text));
             }
             return Status::ok();
           }},
          {"sql",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(query.sql, reader.read_string(value, path("sql")));
             return Status::ok();
           }},
          {"label_columns",
           [&](const YAML::Node& value) -> Status {
             return read_label_columns(reader, value, path("label_columns"), query.label_columns);
           }},
          {"value_columns",
           [&](const YAML::Node& value) -> Status {
             std::string list_path = path("value_columns");
             return reader.for_each_item(
                 value, list_path, [&](const YAML::Node& item, size_t index) -> Status {
                   query.value_columns.emplace_back();
                   nodes.value_columns.push_back(item);
                   return read_sql_value_column(reader, item, index_path(list_path, index),
                                                query.value_columns.back());
                 });
           }},
          {"static_labels",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(nodes.own_static_labels,
                                 read_labels(reader, value, path("static_labels")));
             return Status::ok();
           }},
          {"interval",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(query.interval, reader.read_duration(value, path("interval")));
             nodes.interval = value;
             return Status::ok();
           }},
          {"timeout",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(query.timeout, reader.read_duration(value, path("timeout")));
             nodes.timeout = value;
             return Status::ok();
           }},
          {"initial_label_values",
           [&](const YAML::Node& value) -> Status {
             initial_values_node = value;
             return Status::ok();
           }},
      });
}

// The rules that need the whole query: required fields, and value columns
// that make valid, distinct metrics without clashing with a label column.
Status check_sql_query(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                       SqlQueryConfig& query, const SqlQueryNodes& nodes) {
  if (nodes.name.IsNull() || query.name.empty()) {
    return reader.error_at(nodes.name.IsNull() ? node : nodes.name,
                           fmt::format("{}: missing required field \"name\"", where));
  }
  if (query.help.empty()) {
    return reader.error_at(node, fmt::format("{}: missing required field \"help\"", where));
  }
  if (query.sql.empty()) {
    return reader.error_at(node, fmt::format("{}: missing required field \"sql\"", where));
  }
  if (query.value_columns.empty()) {
    return reader.error_at(node,
                           fmt::format("{}: missing required field \"value_columns\" (at least "
                                       "one column)",
                                       where));
  }
  if (query.metric.empty()) query.metric = query.name;
  for (size_t i = 0; i < query.value_columns.size(); ++i) {
    const SqlValueColumn& column = query.value_columns[i];
    std::string metric_name = query.metric + column.suffix;
    if (!is_valid_metric_name(metric_name)) {
      const YAML::Node& at = nodes.metric.IsNull() ? nodes.name : nodes.metric;
      return reader.error_at(at, fmt::format("{}: {:?} is not a valid metric name (want "
                                             "[a-zA-Z_:][a-zA-Z0-9_:]*)",
                                             where, metric_name));
    }
    for (size_t k = 0; k < i; ++k) {
      if (query.value_columns[k].column == column.column) {
        return reader.error_at(
            nodes.value_columns[i],
            fmt::format("{}: value column {:?} is listed twice", where, column.column));
      }
      if (query.value_columns[k].suffix == column.suffix) {
        return reader.error_at(
            nodes.value_columns[i],
            fmt::format("{}: value columns {:?} and {:?} both make the metric {:?}; give one a "
                        "suffix",
                        where, query.value_columns[k].column, column.column, metric_name));
      }
    }
    if (std::find(query.label_columns.begin(), query.label_columns.end(), column.column) !=
        query.label_columns.end()) {
      return reader.error_at(
          nodes.value_columns[i],
          fmt::format("{}: column {:?} is both a label and a value column", where, column.column));
    }
  }
  if (!nodes.timeout.IsNull() && query.timeout.count() <= 0) {
    return reader.error_at(nodes.timeout, fmt::format("{}: timeout must be positive", where));
  }
  return Status::ok();
}

// Declared label values: each a mapping naming every label column once.
Status read_initial_label_values(const YamlReader& reader, const YAML::Node& node,
                                 std::string_view where, SqlQueryConfig& query,
                                 SqlQueryNodes& nodes) {
  std::string values_path = join_path(where, "initial_label_values");
  return reader.for_each_item(
      node, values_path, [&](const YAML::Node& item, size_t index) -> Status {
        std::string item_path = index_path(values_path, index);
        if (query.label_columns.empty()) {
          return reader.error_at(item, fmt::format("{}: the query has no label_columns", where));
        }
        std::vector<std::string> values(query.label_columns.size());
        std::vector<bool> given(query.label_columns.size(), false);
        Status entries = reader.for_each_entry(
            item, item_path,
            [&](std::string_view column, const YAML::Node& key_node,
                const YAML::Node& value_node) -> Status {
              auto it = std::find(query.label_columns.begin(), query.label_columns.end(), column);
              if (it == query.label_columns.end()) {
                return reader.error_at(
                    key_node, fmt::format("{}: {:?} is not a label column", item_path, column));
              }
              size_t position = static_cast<size_t>(it - query.label_columns.begin());
              if (!value_node.IsNull()) {
                MC_ASSIGN_OR_RETURN(values[position],
                                    reader.read_string(value_node, join_path(item_path, column)));
              }
              if (!is_valid_utf8(values[position])) {
                return reader.error_at(value_node,
                                       fmt::format("{}: {:?} is not a valid label value", item_path,
                                                   values[position]));
              }
              given[position] = true;
              return Status::ok();
            });
        if (!entries) return entries;
        for (size_t k = 0; k < given.size(); ++k) {
          if (!given[k]) {
            return reader.error_at(item, fmt::format("{}: missing a value for label column {:?}",
                                                     item_path, query.label_columns[k]));
          }
        }
        if (std::find(query.initial_label_values.begin(), query.initial_label_values.end(),
                      values) != query.initial_label_values.end()) {
          return reader.error_at(
              item, fmt::format("{}: the same label values are declared twice", item_path));
        }
        query.initial_label_values.push_back(std::move(values));
        nodes.initial_label_values.push_back(item);
        return Status::ok();
      });
}

Status read_sql_query(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                      SqlQueryConfig& query, SqlQueryNodes& nodes) {
  nodes.mapping = node;
  YAML::Node initial_values_node;
  if (Status status = read_sql_query_fields(reader, node, where, query, nodes, initial_values_node);
      !status) {
    return status;
  }
  if (Status status = check_sql_query(reader, node, where, query, nodes); !status) return status;
  return read_initial_label_values(reader, initial_values_node, where, query, nodes);
}

Status read_sql_database(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                         SqlDatabaseConfig& database, SqlDatabaseNodes& nodes) {
  nodes.mapping = node;
  auto path = [&](std::string_view field) { return join_path(where, field); };
  auto read_dsn_source = [&](std::string_view field, std::string& out) {
    return [&, field, target = &out](const YAML::Node& value) -> Status {
      MC_ASSIGN_OR_RETURN(*target, reader.read_string(value, path(field)));
      if (target->empty()) return reader.error_at(value, fmt::format("{}: empty", path(field)));
      nodes.dsn_sources.push_back(value);
      return Status::ok();
    };
  };
  YAML::Node queries_node;
  Status status = reader.read_fields(
      node, where,
      {
          {"name",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(database.name, reader.read_string(value, path("name")));
             nodes.name = value;
             return Status::ok();
           }},
          {"dsn", read_dsn_source("dsn", database.dsn)},
          {"dsn_env", read_dsn_source("dsn_env", database.dsn_env)},
          {"dsn_file", read_dsn_source("dsn_file", database.dsn_file)},
          {"pool_size",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(database.pool_size,
                                 reader.read_int(value, path("pool_size"), 1, 64));
             return Status::ok();
           }},
          {"connect_timeout",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(database.connect_timeout,
                                 reader.read_duration(value, path("connect_timeout")));
             if (database.connect_timeout.count() <= 0) {
               return reader.error_at(value,
                                      fmt::format("{}: must be positive", path("connect_timeout")));
             }
             return Status::ok();
           }},
          {"static_labels",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(nodes.static_labels,
                                 read_labels(reader, value, path("static_labels")));
             return Status::ok();
           }},
          {"queries",
           [&](const YAML::Node& value) -> Status {
             queries_node = value;
             return Status::ok();
           }},
      });
  if (!status) return status;
  if (nodes.name.IsNull() || database.name.empty()) {
    return reader.error_at(nodes.name.IsNull() ? node : nodes.name,
                           fmt::format("{}: missing required field \"name\"", where));
  }
  if (nodes.dsn_sources.size() != 1) {
    return reader.error_at(
        nodes.dsn_sources.empty() ? node : nodes.dsn_sources[1],
        fmt::format(R"({}: give exactly one of "dsn_env", "dsn_file" or "dsn")", where));
  }
  std::string queries_path = path("queries");
  status = reader.for_each_item(
      queries_node, queries_path, [&](const YAML::Node& item, size_t index) -> Status {
        database.queries.emplace_back();
        nodes.queries.emplace_back();
        return read_sql_query(reader, item, index_path(queries_path, index),
                              database.queries.back(), nodes.queries.back());
      });
  if (!status) return status;
  if (database.queries.empty()) {
    return reader.error_at(node, fmt::format("{}: no queries", where));
  }
  return Status::ok();
}

}  // namespace

Status read_sql(const YamlReader& reader, const YAML::Node& node, SqlConfig& sql,
                std::vector<SqlDatabaseNodes>& nodes) {
  YAML::Node databases_node;
  Status status = reader.read_fields(node, "sql",
                                     {
                                         {"databases",
                                          [&](const YAML::Node& value) -> Status {
                                            databases_node = value;
                                            return Status::ok();
                                          }},
                                     });
  if (!status) return status;
  return reader.for_each_item(
      databases_node, "sql.databases", [&](const YAML::Node& item, size_t index) -> Status {
        sql.databases.emplace_back();
        nodes.emplace_back();
        return read_sql_database(reader, item, index_path("sql.databases", index),
                                 sql.databases.back(), nodes.back());
      });
}

Status finish_sql(const YamlReader& reader, SqlConfig& sql,
                  const std::vector<SqlDatabaseNodes>& nodes) {
  std::set<std::string_view> database_names;
  std::set<std::pair<std::string, std::vector<Label>>> metrics;
  for (size_t d = 0; d < sql.databases.size(); ++d) {
    SqlDatabaseConfig& database = sql.databases[d];
    const SqlDatabaseNodes& database_nodes = nodes[d];
    if (!database_names.insert(database.name).second) {
      return reader.error_at(database_nodes.name,
                             fmt::format("found multiple sql databases named {:?}", database.name));
    }
    std::set<std::string_view> query_names;
    for (size_t q = 0; q < database.queries.size(); ++q) {
      SqlQueryConfig& query = database.queries[q];
      const SqlQueryNodes& query_nodes = database_nodes.queries[q];
      std::string where = fmt::format("sql database {:?} query {:?}", database.name, query.name);
      if (!query_names.insert(query.name).second) {
        return reader.error_at(query_nodes.name,
                               fmt::format("found multiple queries named {:?} in sql database {:?}",
                                           query.name, database.name));
      }
      std::vector<Label> merged = query_nodes.own_static_labels;
      for (const Label& label : database_nodes.static_labels) {
        bool overridden = std::any_of(merged.begin(), merged.end(),
                                      [&](const Label& own) { return own.name == label.name; });
        if (!overridden) merged.push_back(label);
      }
      std::sort(merged.begin(), merged.end(),
                [](const Label& a, const Label& b) { return a.name < b.name; });
      for (const Label& label : merged) {
        if (std::find(query.label_columns.begin(), query.label_columns.end(), label.name) !=
            query.label_columns.end()) {
          return reader.error_at(
              query_nodes.mapping,
              fmt::format("{}: {:?} is both a label column and a static label", where, label.name));
        }
      }
      query.static_labels = std::move(merged);
      for (size_t v = 0; v < query.value_columns.size(); ++v) {
        std::string metric_name = query.metric + query.value_columns[v].suffix;
        if (!metrics.emplace(metric_name, query.static_labels).second) {
          return reader.error_at(
              query_nodes.value_columns[v],
              fmt::format("{}: metric {:?} is made by another query too, with the same static "
                          "labels; its series would collide",
                          where, metric_name));
        }
      }
    }
  }
  return Status::ok();
}

}  // namespace mc
