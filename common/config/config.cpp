#include "common/config/config.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "common/config/config_rules.hpp"
#include "common/config/storage_defaults.hpp"
#include "common/config/yaml_reader.hpp"
#include "common/model/label_name.hpp"
#include "common/util/duration.hpp"
#include "common/util/errno_text.hpp"
#include "common/util/read_file.hpp"
#include "common/util/utf8.hpp"

namespace mc {

namespace {

// Where a job's values came from, kept until the whole document is read:
// inheritance needs `global:`, which may come after `scrape_configs:` in the file.
struct ScrapeConfigNodes {
  YAML::Node mapping;
  YAML::Node job_name;                  // null when absent
  YAML::Node scrape_timeout;            // null when absent
  YAML::Node body_size_limit;           // null when absent
  YAML::Node sample_limit;              // null when absent
  YAML::Node label_limit;               // null when absent
  YAML::Node label_name_length_limit;   // null when absent
  YAML::Node label_value_length_limit;  // null when absent
};

struct GlobalNodes {
  YAML::Node scrape_timeout;  // null when absent
};

// A label set as a YAML mapping of name to value, returned sorted by name.
Result<std::vector<Label>> read_labels(const YamlReader& reader, const YAML::Node& node,
                                       std::string_view where) {
  std::vector<Label> labels;
  Status status = reader.for_each_entry(
      node, where,
      [&](std::string_view name, const YAML::Node& name_node,
          const YAML::Node& value_node) -> Status {
        if (!is_valid_label_name(name)) {
          return reader.error_at(name_node,
                                 fmt::format("{}: {:?} is not a valid label name", where, name));
        }
        if (name.starts_with("__")) {
          return reader.error_at(name_node,
                                 fmt::format("{}: label name {:?} is reserved (names starting with "
                                             "\"__\" are for internal use)",
                                             where, name));
        }
        // `name:` with nothing after it is an empty value.
        std::string value;
        if (!value_node.IsNull()) {
          auto text = reader.read_string(value_node, join_path(where, name));
          if (!text) return text.status();
          value = std::move(*text);
        }
        if (!is_valid_utf8(value)) {
          return reader.error_at(value_node,
                                 fmt::format("{}: {:?} is not a valid label value", where, value));
        }
        // An empty value means "no such label" in Prometheus; dropping it here
        // spares every consumer that rule.
        if (!value.empty()) labels.push_back(Label{std::string(name), std::move(value)});
        return Status::ok();
      });
  if (!status) return status;
  std::sort(labels.begin(), labels.end(),
            [](const Label& a, const Label& b) { return a.name < b.name; });
  return labels;
}

// Reads a Result into `out`, or returns its error from the enclosing lambda.
#define MC_ASSIGN_OR_RETURN(out, expression) \
  do {                                       \
    auto result_ = (expression);             \
    if (!result_) return result_.status();   \
    (out) = std::move(*result_);             \
  } while (false)

// A field holding a count >= 0 (sample_limit, the label limits); `seen`, when
// given, records the node so that inheritance can tell "absent" from "0".
YamlReader::Field count_field(const YamlReader& reader, std::string_view key, std::string where,
                              uint64_t& out, YAML::Node* seen = nullptr) {
  return {key, [&reader, where = std::move(where), &out, seen](const YAML::Node& value) -> Status {
            auto count = reader.read_int(value, where, 0, INT64_MAX);
            if (!count) return count.status();
            out = static_cast<uint64_t>(*count);
            if (seen != nullptr) *seen = value;
            return Status::ok();
          }};
}

Status read_global(const YamlReader& reader, const YAML::Node& node, GlobalConfig& global,
                   GlobalNodes& nodes) {
  const std::string_view where = "global";
  return reader.read_fields(
      node, where,
      {
          {"scrape_interval",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(global.scrape_interval,
                                 reader.read_duration(value, "global.scrape_interval"));
             return Status::ok();
           }},
          {"scrape_timeout",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(global.scrape_timeout,
                                 reader.read_duration(value, "global.scrape_timeout"));
             nodes.scrape_timeout = value;
             return Status::ok();
           }},
          {"body_size_limit",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(global.body_size_limit,
                                 reader.read_byte_size(value, "global.body_size_limit"));
             return Status::ok();
           }},
          count_field(reader, "sample_limit", "global.sample_limit", global.sample_limit),
          count_field(reader, "label_limit", "global.label_limit", global.label_limit),
          count_field(reader, "label_name_length_limit", "global.label_name_length_limit",
                      global.label_name_length_limit),
          count_field(reader, "label_value_length_limit", "global.label_value_length_limit",
                      global.label_value_length_limit),
          {"external_labels",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(global.external_labels,
                                 read_labels(reader, value, "global.external_labels"));
             return Status::ok();
           }},
      });
}

Status read_static_config(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                          StaticConfig& static_config) {
  return reader.read_fields(
      node, where,
      {
          {"targets",
           [&](const YAML::Node& value) -> Status {
             std::string targets_path = join_path(where, "targets");
             return reader.for_each_item(
                 value, targets_path, [&](const YAML::Node& item, size_t index) -> Status {
                   std::string item_path = index_path(targets_path, index);
                   auto target = reader.read_string(item, item_path);
                   if (!target) return target.status();
                   if (auto problem = target_address_problem(*target)) {
                     return reader.error_at(item, fmt::format("{}: {}", item_path, *problem));
                   }
                   static_config.targets.push_back(std::move(*target));
                   return Status::ok();
                 });
           }},
          {"labels",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(static_config.labels,
                                 read_labels(reader, value, join_path(where, "labels")));
             return Status::ok();
           }},
      });
}

Status read_params(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                   std::map<std::string, std::vector<std::string>>& params) {
  return reader.for_each_entry(
      node, where,
      [&](std::string_view name, const YAML::Node&, const YAML::Node& values) -> Status {
        // url.Values in Prometheus: each parameter holds a list of values.
        MC_ASSIGN_OR_RETURN(params[std::string(name)],
                            reader.read_string_list(values, join_path(where, name)));
        return Status::ok();
      });
}

Status read_scrape_config(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                          ScrapeConfig& job, ScrapeConfigNodes& nodes) {
  nodes.mapping = node;
  auto path = [&](std::string_view field) { return join_path(where, field); };
  return reader.read_fields(
      node, where,
      {
          {"job_name",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(job.job_name, reader.read_string(value, path("job_name")));
             nodes.job_name = value;
             return Status::ok();
           }},
          {"scrape_interval",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(job.scrape_interval,
                                 reader.read_duration(value, path("scrape_interval")));
             return Status::ok();
           }},
          {"scrape_timeout",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(job.scrape_timeout,
                                 reader.read_duration(value, path("scrape_timeout")));
             nodes.scrape_timeout = value;
             return Status::ok();
           }},
          {"metrics_path",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(job.metrics_path, reader.read_string(value, path("metrics_path")));
             if (!job.metrics_path.starts_with('/')) {
               return reader.error_at(value, fmt::format("{}: {:?} must start with '/'",
                                                         path("metrics_path"), job.metrics_path));
             }
             return Status::ok();
           }},
          {"scheme",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(job.scheme, reader.read_string(value, path("scheme")));
             if (job.scheme == "https") {
               return reader.error_at(value, fmt::format("{}: scheme \"https\" is not supported "
                                                         "yet (only http)",
                                                         path("scheme")));
             }
             if (job.scheme != "http") {
               return reader.error_at(value, fmt::format("{}: invalid scheme {:?} (want http)",
                                                         path("scheme"), job.scheme));
             }
             return Status::ok();
           }},
          {"params",
           [&](const YAML::Node& value) -> Status {
             return read_params(reader, value, path("params"), job.params);
           }},
          {"honor_labels",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(job.honor_labels, reader.read_bool(value, path("honor_labels")));
             return Status::ok();
           }},
          {"honor_timestamps",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(job.honor_timestamps,
                                 reader.read_bool(value, path("honor_timestamps")));
             return Status::ok();
           }},
          {"body_size_limit",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(job.body_size_limit,
                                 reader.read_byte_size(value, path("body_size_limit")));
             nodes.body_size_limit = value;
             return Status::ok();
           }},
          count_field(reader, "sample_limit", path("sample_limit"), job.sample_limit,
                      &nodes.sample_limit),
          count_field(reader, "label_limit", path("label_limit"), job.label_limit,
                      &nodes.label_limit),
          count_field(reader, "label_name_length_limit", path("label_name_length_limit"),
                      job.label_name_length_limit, &nodes.label_name_length_limit),
          count_field(reader, "label_value_length_limit", path("label_value_length_limit"),
                      job.label_value_length_limit, &nodes.label_value_length_limit),
          {"static_configs",
           [&](const YAML::Node& value) -> Status {
             std::string list_path = path("static_configs");
             return reader.for_each_item(
                 value, list_path, [&](const YAML::Node& item, size_t index) -> Status {
                   job.static_configs.emplace_back();
                   return read_static_config(reader, item, index_path(list_path, index),
                                             job.static_configs.back());
                 });
           }},
      });
}

// --- sql: business metrics from PostgreSQL -------------------------------------

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

Status read_sql_query(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                      SqlQueryConfig& query, SqlQueryNodes& nodes) {
  nodes.mapping = node;
  auto path = [&](std::string_view field) { return join_path(where, field); };
  YAML::Node initial_values_node;
  Status status = reader.read_fields(
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
             std::string list_path = path("label_columns");
             return reader.for_each_item(
                 value, list_path, [&](const YAML::Node& item, size_t index) -> Status {
                   std::string item_path = index_path(list_path, index);
                   auto column = reader.read_string(item, item_path);
                   if (!column) return column.status();
                   if (!is_valid_label_name(*column) || column->starts_with("__")) {
                     return reader.error_at(
                         item, fmt::format("{}: {:?} cannot be a label name (want "
                                           "[a-zA-Z_][a-zA-Z0-9_]*, not starting with \"__\"); "
                                           "rename the column with AS",
                                           item_path, *column));
                   }
                   if (std::find(query.label_columns.begin(), query.label_columns.end(), *column) !=
                       query.label_columns.end()) {
                     return reader.error_at(
                         item,
                         fmt::format("{}: label column {:?} is listed twice", item_path, *column));
                   }
                   query.label_columns.push_back(std::move(*column));
                   return Status::ok();
                 });
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
  if (!status) return status;

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

  // Declared label values: each a mapping naming every label column once.
  std::string values_path = path("initial_label_values");
  return reader.for_each_item(
      initial_values_node, values_path, [&](const YAML::Node& item, size_t index) -> Status {
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

// Names unique where they must be; static labels merged (the query's win over
// the database's) and kept apart from the label columns.
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

struct StorageTierNodes {
  YAML::Node mapping;
  YAML::Node resolution;      // null when absent
  YAML::Node retention;       // null when absent
  YAML::Node block_duration;  // null when absent
};

struct StorageNodes {
  YAML::Node mapping;
  YAML::Node tiers;  // null when absent: the default tiers
  std::vector<StorageTierNodes> tier_nodes;
};

Status read_storage_tier(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                         StorageTierConfig& tier, StorageTierNodes& nodes) {
  nodes.mapping = node;
  auto path = [&](std::string_view field) { return join_path(where, field); };
  auto positive_duration = [&](std::string_view field, Duration& out, YAML::Node& seen) {
    return [&, field, target = &out, seen_node = &seen](const YAML::Node& value) -> Status {
      MC_ASSIGN_OR_RETURN(*target, reader.read_duration(value, path(field)));
      if (target->count() <= 0) {
        return reader.error_at(value, fmt::format("{}: must be positive", path(field)));
      }
      *seen_node = value;
      return Status::ok();
    };
  };
  return reader.read_fields(
      node, where,
      {
          {"resolution",
           [&](const YAML::Node& value) -> Status {
             nodes.resolution = value;
             auto text = reader.read_string(value, path("resolution"));
             if (!text) return text.status();
             if (*text == "raw") {
               tier.name = "raw";
               return Status::ok();
             }
             MC_ASSIGN_OR_RETURN(tier.resolution, reader.read_duration(value, path("resolution")));
             if (tier.resolution.count() <= 0) {
               return reader.error_at(
                   value, fmt::format("{}: must be positive (raw data is `resolution: raw`)",
                                      path("resolution")));
             }
             tier.name = format_duration(tier.resolution);
             return Status::ok();
           }},
          {"retention", positive_duration("retention", tier.retention, nodes.retention)},
          {"block_duration",
           positive_duration("block_duration", tier.block_duration, nodes.block_duration)},
      });
}

Status read_storage(const YamlReader& reader, const YAML::Node& node, StorageConfig& storage,
                    StorageNodes& nodes) {
  nodes.mapping = node;
  return reader.read_fields(
      node, "storage",
      {
          {"block_duration",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(storage.block_duration,
                                 reader.read_duration(value, "storage.block_duration"));
             if (storage.block_duration.count() <= 0) {
               return reader.error_at(value, "storage.block_duration: must be positive");
             }
             return Status::ok();
           }},
          {"wal_fsync",
           [&](const YAML::Node& value) -> Status {
             auto text = reader.read_string(value, "storage.wal_fsync");
             if (!text) return text.status();
             if (*text == "always") {
               storage.wal_fsync = WalFsyncMode::always;
               return Status::ok();
             }
             if (*text == "never") {
               storage.wal_fsync = WalFsyncMode::never;
               return Status::ok();
             }
             auto interval = parse_duration(*text);
             if (!interval) {
               return reader.error_at(
                   value, fmt::format("storage.wal_fsync: expected \"always\", \"never\" or a "
                                      "duration: {}",
                                      interval.error()));
             }
             if (interval->count() <= 0) {
               return reader.error_at(value,
                                      "storage.wal_fsync: an interval must be positive (\"always\" "
                                      "fsyncs at every commit)");
             }
             storage.wal_fsync = WalFsyncMode::interval;
             storage.wal_fsync_interval = *interval;
             return Status::ok();
           }},
          {"tiers",
           [&](const YAML::Node& value) -> Status {
             nodes.tiers = value;
             return reader.for_each_item(
                 value, "storage.tiers", [&](const YAML::Node& item, size_t index) -> Status {
                   storage.tiers.emplace_back();
                   nodes.tier_nodes.emplace_back();
                   return read_storage_tier(reader, item, index_path("storage.tiers", index),
                                            storage.tiers.back(), nodes.tier_nodes.back());
                 });
           }},
      });
}

// The tiers as retention planning needs them (the store checks them again): raw
// first, resolutions growing by whole multiples, retentions not shrinking,
// block lengths whole multiples of the resolution and of the finer tier's
// blocks. Downsampled tiers get a block length when they have none.
Status finish_storage(const YamlReader& reader, StorageConfig& storage, const StorageNodes& nodes) {
  if (nodes.tiers.IsNull()) {
    // Block lengths are filled below, from storage.block_duration.
    for (StorageTierConfig tier : default_storage_tiers(storage.block_duration)) {
      tier.block_duration = Duration(0);
      storage.tiers.push_back(std::move(tier));
    }
  } else if (storage.tiers.empty()) {
    return reader.error_at(nodes.tiers,
                           "storage.tiers: no tiers; the first must be `- resolution: raw`");
  }
  const bool given = !nodes.tiers.IsNull();
  for (size_t i = 0; i < storage.tiers.size(); ++i) {
    StorageTierConfig& tier = storage.tiers[i];
    std::string where = index_path("storage.tiers", i);
    if (given) {
      const StorageTierNodes& tier_nodes = nodes.tier_nodes[i];
      for (const auto& [field, node] : {std::pair{"resolution", tier_nodes.resolution},
                                        std::pair{"retention", tier_nodes.retention}}) {
        if (node.IsNull()) {
          return reader.error_at(tier_nodes.mapping,
                                 fmt::format("{}: missing required field {:?}", where, field));
        }
      }
      const bool raw = tier.name == "raw";
      if (i == 0 && !raw) {
        return reader.error_at(tier_nodes.resolution,
                               fmt::format("{}.resolution: the first tier must be raw, got {}",
                                           where, tier_nodes.resolution.Scalar()));
      }
      if (i > 0 && raw) {
        return reader.error_at(tier_nodes.resolution,
                               fmt::format("{}.resolution: only the first tier can be raw", where));
      }
      if (i == 0 && !tier_nodes.block_duration.IsNull()) {
        return reader.error_at(
            tier_nodes.block_duration,
            fmt::format("{}.block_duration: raw blocks are set by storage.block_duration", where));
      }
      if (i > 0) {
        const StorageTierConfig& finer = storage.tiers[i - 1];
        // As written in the file: "7d" reads better here than its spelling "1w".
        const StorageTierNodes& finer_nodes = nodes.tier_nodes[i - 1];
        if (tier.resolution <= finer.resolution) {
          return reader.error_at(
              tier_nodes.resolution,
              fmt::format("{}.resolution: {} is not coarser than the tier before's {}", where,
                          tier_nodes.resolution.Scalar(), finer_nodes.resolution.Scalar()));
        }
        if (finer.resolution.count() > 0 && tier.resolution % finer.resolution != Duration(0)) {
          return reader.error_at(
              tier_nodes.resolution,
              fmt::format("{}.resolution: {} is not a multiple of the tier before's {}", where,
                          tier_nodes.resolution.Scalar(), finer_nodes.resolution.Scalar()));
        }
        if (tier.retention < finer.retention) {
          return reader.error_at(
              tier_nodes.retention,
              fmt::format("{}.retention: {} is shorter than the tier before's {}; a coarser tier "
                          "must keep data at least as long",
                          where, tier_nodes.retention.Scalar(), finer_nodes.retention.Scalar()));
        }
      }
    }
    if (i == 0) {
      tier.block_duration = storage.block_duration;
      continue;
    }
    const StorageTierConfig& finer = storage.tiers[i - 1];
    if (tier.block_duration.count() == 0) {
      tier.block_duration = default_tier_block_duration(tier.resolution, finer.block_duration);
      continue;
    }
    const YAML::Node& at = nodes.tier_nodes[i].block_duration;
    if (tier.block_duration % tier.resolution != Duration(0)) {
      return reader.error_at(
          at, fmt::format("{}.block_duration: {} is not a multiple of the resolution {}", where,
                          format_duration(tier.block_duration), format_duration(tier.resolution)));
    }
    if (tier.block_duration % finer.block_duration != Duration(0)) {
      return reader.error_at(
          at, fmt::format("{}.block_duration: {} is not a multiple of the tier before's block "
                          "duration {}",
                          where, format_duration(tier.block_duration),
                          format_duration(finer.block_duration)));
    }
  }
  return Status::ok();
}

#undef MC_ASSIGN_OR_RETURN

// Prometheus's GlobalConfig rules: zero means unset; an explicit timeout may
// not exceed the interval; an implicit one is min(10s, interval).
Status finish_global(const YamlReader& reader, GlobalConfig& global, const GlobalNodes& nodes) {
  const GlobalConfig defaults;
  if (global.scrape_interval.count() == 0) global.scrape_interval = defaults.scrape_interval;
  bool timeout_given = !nodes.scrape_timeout.IsNull() && global.scrape_timeout.count() != 0;
  if (timeout_given && global.scrape_timeout > global.scrape_interval) {
    return reader.error_at(nodes.scrape_timeout,
                           "global scrape timeout greater than scrape interval");
  }
  if (!timeout_given)
    global.scrape_timeout = std::min(defaults.scrape_timeout, global.scrape_interval);
  return Status::ok();
}

// Prometheus's ScrapeConfig rules: a job inherits the global interval; an
// explicit timeout may not exceed the job's interval; an inherited timeout is
// cut down to the interval.
Status finish_scrape_configs(const YamlReader& reader, Config& config,
                             const std::vector<ScrapeConfigNodes>& nodes) {
  std::set<std::string_view> job_names;
  for (size_t i = 0; i < config.scrape_configs.size(); ++i) {
    ScrapeConfig& job = config.scrape_configs[i];
    const ScrapeConfigNodes& job_nodes = nodes[i];
    std::string where = index_path("scrape_configs", i);
    if (job_nodes.job_name.IsNull()) {
      return reader.error_at(job_nodes.mapping,
                             fmt::format("{}: missing required field \"job_name\"", where));
    }
    if (job.job_name.empty()) {
      return reader.error_at(job_nodes.job_name, fmt::format("{}: job_name is empty", where));
    }
    if (!job_names.insert(job.job_name).second) {
      return reader.error_at(
          job_nodes.job_name,
          fmt::format("found multiple scrape configs with job name {:?}", job.job_name));
    }
    if (job.scrape_interval.count() == 0) job.scrape_interval = config.global.scrape_interval;
    if (job.scrape_timeout > job.scrape_interval) {
      return reader.error_at(
          job_nodes.scrape_timeout,
          fmt::format("scrape timeout greater than scrape interval for scrape config with job "
                      "name {:?}",
                      job.job_name));
    }
    if (job.scrape_timeout.count() == 0) {
      job.scrape_timeout = std::min(config.global.scrape_timeout, job.scrape_interval);
    }
    if (job_nodes.body_size_limit.IsNull()) job.body_size_limit = config.global.body_size_limit;
    if (job_nodes.sample_limit.IsNull()) job.sample_limit = config.global.sample_limit;
    if (job_nodes.label_limit.IsNull()) job.label_limit = config.global.label_limit;
    if (job_nodes.label_name_length_limit.IsNull()) {
      job.label_name_length_limit = config.global.label_name_length_limit;
    }
    if (job_nodes.label_value_length_limit.IsNull()) {
      job.label_value_length_limit = config.global.label_value_length_limit;
    }
  }
  return Status::ok();
}

Result<Config> read_config(const YamlReader& reader, const YAML::Node& root) {
  Config config;
  GlobalNodes global_nodes;
  std::vector<ScrapeConfigNodes> scrape_config_nodes;
  std::vector<SqlDatabaseNodes> sql_nodes;
  StorageNodes storage_nodes;
  // One entry per top-level section; a new section is one more line here and
  // a read_<section> function above.
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
