#include "exporter/storage_collector.hpp"

#include <string>

#include "exporter/single_value_family.hpp"

namespace mc {

namespace {

prometheus::ClientMetric rejected(const char* reason, uint64_t count) {
  prometheus::ClientMetric metric;
  metric.label.push_back({"reason", reason});
  metric.counter.value = static_cast<double>(count);
  return metric;
}

}  // namespace

std::vector<prometheus::MetricFamily> StorageCollector::Collect() const {
  const StorageStats stats = storage_.stats();
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> families;
  families.reserve(7);
  families.push_back(single_value_family("metrics_collector_head_series",
                                         "Series held in the head of the store.", MetricType::Gauge,
                                         static_cast<double>(stats.series)));
  families.push_back(single_value_family("metrics_collector_head_chunks",
                                         "Chunks held in the head, open and sealed.",
                                         MetricType::Gauge, static_cast<double>(stats.chunks)));
  families.push_back(single_value_family(
      "metrics_collector_head_chunk_bytes", "Encoded bytes of the chunks held in the head.",
      MetricType::Gauge, static_cast<double>(stats.chunk_bytes)));
  families.push_back(single_value_family("metrics_collector_head_samples",
                                         "Samples held in the head's chunks.", MetricType::Gauge,
                                         static_cast<double>(stats.samples)));
  const double bytes_per_sample = stats.samples == 0 ? 0
                                                     : static_cast<double>(stats.chunk_bytes) /
                                                           static_cast<double>(stats.samples);
  families.push_back(single_value_family(
      "metrics_collector_head_bytes_per_sample",
      "Encoded chunk bytes per sample held in the head (compression efficiency).",
      MetricType::Gauge, bytes_per_sample));
  families.push_back(single_value_family(
      "metrics_collector_samples_appended_total", "Samples appended to the store since start.",
      MetricType::Counter, static_cast<double>(stats.samples_appended)));
  families.push_back(
      prometheus::MetricFamily{"metrics_collector_samples_rejected_total",
                               "Samples the store rejected since start, by reason.",
                               MetricType::Counter,
                               {rejected("duplicate_timestamp", stats.duplicate_timestamp),
                                rejected("out_of_order", stats.out_of_order)}});
  return families;
}

}  // namespace mc
