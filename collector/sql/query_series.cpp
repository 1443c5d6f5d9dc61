#include "collector/sql/query_series.hpp"

#include <fmt/format.h>

#include "collector/sql/column_conversion.hpp"
#include "common/model/sample_value.hpp"
#include "common/util/utf8.hpp"

namespace mc {

namespace {

// Separates label values in a series key; 0xFF never occurs in UTF-8, so two
// different value lists never make the same key.
constexpr char kKeySeparator = '\xff';

// Entries of series that left the result stay cached this many runs, so a
// series that flaps keeps its ref; then they go, so churn does not grow the cache.
constexpr uint64_t kEvictAfterRuns = 10;

std::string refresh_help(const std::string& help, std::chrono::milliseconds interval) {
  double seconds = static_cast<double>(interval.count()) / 1000.0;
  return fmt::format("{} (refreshed every {:g} seconds)", help, seconds);
}

void build_key(std::string& key, const std::vector<std::string_view>& values) {
  key.clear();
  for (std::string_view value : values) {
    key.append(value);
    key += kKeySeparator;
  }
}

}  // namespace

QuerySeries::QuerySeries(const SqlQueryConfig& query, std::chrono::milliseconds refresh_interval)
    : query_(query), series_(query.value_columns.size()) {
  std::string help = refresh_help(query.help, refresh_interval);
  // The config loader fills `metric` from `name`; a config built in code may not.
  const std::string& metric = query.metric.empty() ? query.name : query.metric;
  for (const SqlValueColumn& column : query.value_columns) {
    metadata_.push_back(MetricMetadata{metric + column.suffix, query.type, help, ""});
  }
  // Declared series exist from the start, so they can be zeroed before any run.
  std::vector<std::vector<std::string>> declared = query.initial_label_values;
  if (query.label_columns.empty()) declared.assign(1, {});
  for (const auto& values : declared) {
    label_values_.assign(values.begin(), values.end());
    build_key(key_buffer_, label_values_);
    for (size_t metric = 0; metric < series_.size(); ++metric) {
      find_or_create(metric, key_buffer_, label_values_, true);
    }
  }
}

QuerySeries::SeriesEntry& QuerySeries::find_or_create(size_t metric_index, std::string_view key,
                                                      const std::vector<std::string_view>& values,
                                                      bool declared) {
  SeriesMap& map = series_[metric_index];
  auto it = map.find(key);
  if (it == map.end()) {
    LabelsBuilder builder;
    builder.set(kMetricNameLabel, metadata_[metric_index].family);
    for (const Label& label : query_.static_labels) builder.set(label.name, label.value);
    for (size_t i = 0; i < values.size(); ++i) builder.set(query_.label_columns[i], values[i]);
    SeriesEntry entry;
    entry.labels = builder.labels();
    it = map.emplace(std::string(key), std::move(entry)).first;
  }
  it->second.declared = it->second.declared || declared;
  return it->second;
}

void QuerySeries::append_entry(size_t metric_index, SeriesEntry& entry, Appender& appender,
                               int64_t t_ms, double value) {
  entry.ref = appender.append(entry.ref, entry.labels, t_ms, value).ref;
  if (entry.ref != entry.metadata_ref) {
    appender.update_metadata(entry.ref, metadata_[metric_index]);
    entry.metadata_ref = entry.ref;
  }
}

Status QuerySeries::check_columns(const ResultTable& table) { return locate_columns(table); }

// Configured columns → positions in this result; kinds checked once per run.
Status QuerySeries::locate_columns(const ResultTable& table) {
  auto position_of = [&](const std::string& name) -> std::optional<size_t> {
    for (size_t column = 0; column < table.column_count(); ++column) {
      if (table.column_name(column) == name) return column;
    }
    return std::nullopt;
  };
  auto missing = [&](const std::string& name) {
    std::string columns;
    for (size_t column = 0; column < table.column_count(); ++column) {
      columns += fmt::format("{}{}", column == 0 ? "" : ", ", table.column_name(column));
    }
    return Status::error(fmt::format("column {:?} is not in the result (its columns: {})", name,
                                     columns.empty() ? "none" : columns));
  };
  label_positions_.clear();
  for (const std::string& name : query_.label_columns) {
    auto position = position_of(name);
    if (!position) return missing(name);
    label_positions_.push_back(*position);
  }
  value_positions_.clear();
  value_kinds_.clear();
  for (const SqlValueColumn& column : query_.value_columns) {
    auto position = position_of(column.column);
    if (!position) return missing(column.column);
    ValueColumnKind kind = value_column_kind(table.column_type(*position));
    if (kind == ValueColumnKind::unsupported) {
      return Status::error(fmt::format(
          "value column {:?} has type {}; want a number, boolean or interval (cast it in the SQL)",
          column.column, type_name_for_message(table.column_type(*position))));
    }
    value_positions_.push_back(*position);
    value_kinds_.push_back(kind);
  }
  return Status::ok();
}

Status QuerySeries::append_result(const ResultTable& table, Appender& appender, int64_t t_ms,
                                  QueryRunStats& stats) {
  ++run_;
  if (Status located = locate_columns(table); !located) return located;

  stats.rows = table.row_count();
  label_values_.resize(label_positions_.size());
  for (size_t row = 0; row < table.row_count(); ++row) {
    for (size_t i = 0; i < label_positions_.size(); ++i) {
      std::string_view value = table.cell(row, label_positions_[i]).value_or("");
      if (!is_valid_utf8(value)) {
        return Status::error(fmt::format("row {}: label column {:?} is not valid UTF-8", row + 1,
                                         query_.label_columns[i]));
      }
      label_values_[i] = value;
    }
    build_key(key_buffer_, label_values_);
    for (size_t metric = 0; metric < value_positions_.size(); ++metric) {
      auto cell = table.cell(row, value_positions_[metric]);
      if (!cell) {
        ++stats.null_values[query_.value_columns[metric].column];
        continue;
      }
      auto value = convert_value(value_kinds_[metric], *cell);
      if (!value) {
        return Status::error(fmt::format("row {}: value column {:?}: {}", row + 1,
                                         query_.value_columns[metric].column, value.error()));
      }
      SeriesEntry& entry = find_or_create(metric, key_buffer_, label_values_, false);
      if (entry.seen_run == run_) {
        return Status::error(fmt::format(
            "row {}: a second row with the same labels {} (label columns must identify a row)",
            row + 1, entry.labels.to_string()));
      }
      entry.seen_run = run_;
      append_entry(metric, entry, appender, t_ms, *value);
      ++stats.samples;
    }
  }

  // Series the result did not give a value.
  for (size_t metric = 0; metric < series_.size(); ++metric) {
    SeriesMap& map = series_[metric];
    for (auto it = map.begin(); it != map.end();) {
      SeriesEntry& entry = it->second;
      if (entry.seen_run == run_) {
        entry.live = true;
      } else if (entry.declared) {
        append_entry(metric, entry, appender, t_ms, 0.0);
        entry.live = true;
        ++stats.zeros;
      } else if (entry.live) {
        entry.ref = appender.append(entry.ref, entry.labels, t_ms, stale_nan()).ref;
        entry.live = false;
        ++stats.stale_markers;
      } else if (entry.seen_run + kEvictAfterRuns < run_) {
        it = map.erase(it);
        continue;
      }
      ++it;
    }
  }
  return Status::ok();
}

uint64_t QuerySeries::append_declared_zeros(Appender& appender, int64_t t_ms) {
  uint64_t zeros = 0;
  for (size_t metric = 0; metric < series_.size(); ++metric) {
    for (auto& [key, entry] : series_[metric]) {
      if (!entry.declared) continue;
      append_entry(metric, entry, appender, t_ms, 0.0);
      entry.live = true;
      ++zeros;
    }
  }
  return zeros;
}

}  // namespace mc
