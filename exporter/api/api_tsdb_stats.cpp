#include "exporter/api/api_tsdb_stats.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "exporter/api/api_json.hpp"
#include "exporter/api/api_series_select.hpp"

namespace mc::api {

namespace {

std::vector<CountStat> top(std::vector<CountStat> all) {
  std::ranges::sort(all, [](const CountStat& a, const CountStat& b) {
    return a.value != b.value ? a.value > b.value : a.name < b.name;
  });
  if (all.size() > kTsdbStatsTop) all.resize(kTsdbStatsTop);
  return all;
}

void append_stats(std::string& out, std::string_view key, const std::vector<CountStat>& stats) {
  out += ",\"";
  out += key;
  out += "\":[";
  for (size_t i = 0; i < stats.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"name\":";
    append_string(out, stats[i].name);
    out += ",\"value\":";
    out += std::to_string(stats[i].value);
    out += '}';
  }
  out += ']';
}

}  // namespace

TsdbStats cardinality_stats(const std::vector<Labels>& series) {
  // name -> value -> series carrying the pair
  std::map<std::string, std::unordered_map<std::string, uint64_t>, std::less<>> postings;
  for (const Labels& labels : series) {
    for (const LabelView label : labels) {
      auto name = postings.find(label.name);
      if (name == postings.end()) name = postings.emplace(std::string(label.name), 0).first;
      ++name->second[std::string(label.value)];
    }
  }
  TsdbStats stats;
  stats.num_series = series.size();
  std::vector<CountStat> metrics;
  std::vector<CountStat> value_counts;
  std::vector<CountStat> memory;
  std::vector<CountStat> pairs;
  for (const auto& [name, values] : postings) {
    value_counts.push_back({name, values.size()});
    stats.num_label_pairs += values.size();
    uint64_t bytes = 0;
    for (const auto& [value, count] : values) {
      if (name == kMetricNameLabel) metrics.push_back({value, count});
      pairs.push_back({name + "=" + value, count});
      bytes += value.size() * count;
    }
    memory.push_back({name, bytes});
  }
  stats.series_count_by_metric_name = top(std::move(metrics));
  stats.label_value_count_by_label_name = top(std::move(value_counts));
  stats.memory_in_bytes_by_label_name = top(std::move(memory));
  stats.series_count_by_label_value_pair = top(std::move(pairs));
  return stats;
}

TsdbStats read_tsdb_stats(Storage& storage) {
  std::vector<Labels> head_series;
  storage.latest_samples().for_each_latest(INT64_MIN, INT64_MAX, [&](const LatestSample& latest) {
    head_series.push_back(latest.labels);
  });
  TsdbStats stats = cardinality_stats(head_series);
  stats.chunk_count = storage.stats().chunks;
  if (head_series.empty()) return stats;

  auto any_name = Matcher::make(Matcher::Kind::regex, std::string(kMetricNameLabel), ".+");
  std::unique_ptr<Querier> querier = storage.querier(kMinTimeMs, kMaxTimeMs);
  for (const auto& series : querier->select({*any_name})) {
    std::unique_ptr<SampleIterator> it = series->iterator();
    if (!it->next()) continue;
    stats.min_time_ms = std::min(stats.min_time_ms, it->at().t_ms);
  }
  storage.latest_samples().for_each_latest(INT64_MIN, INT64_MAX, [&](const LatestSample& latest) {
    stats.max_time_ms = std::max(stats.max_time_ms, latest.sample.t_ms);
  });
  return stats;
}

std::string tsdb_stats_json(const TsdbStats& stats) {
  std::string out = "{\"headStats\":{\"numSeries\":" + std::to_string(stats.num_series) +
                    ",\"numLabelPairs\":" + std::to_string(stats.num_label_pairs) +
                    ",\"chunkCount\":" + std::to_string(stats.chunk_count) +
                    ",\"minTime\":" + std::to_string(stats.min_time_ms) +
                    ",\"maxTime\":" + std::to_string(stats.max_time_ms) + "}";
  append_stats(out, "seriesCountByMetricName", stats.series_count_by_metric_name);
  append_stats(out, "labelValueCountByLabelName", stats.label_value_count_by_label_name);
  append_stats(out, "memoryInBytesByLabelName", stats.memory_in_bytes_by_label_name);
  append_stats(out, "seriesCountByLabelValuePair", stats.series_count_by_label_value_pair);
  out += '}';
  return out;
}

}  // namespace mc::api
