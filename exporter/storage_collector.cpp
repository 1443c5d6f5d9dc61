#include "exporter/storage_collector.hpp"

#include <string>
#include <tuple>

#include "exporter/single_value_family.hpp"

namespace mc {

namespace {

prometheus::ClientMetric rejected(const char* reason, uint64_t count) {
  prometheus::ClientMetric metric;
  metric.label.push_back({"reason", reason});
  metric.counter.value = static_cast<double>(count);
  return metric;
}

prometheus::ClientMetric labelled(std::vector<prometheus::ClientMetric::Label> labels, double value,
                                  bool counter) {
  prometheus::ClientMetric metric;
  metric.label = std::move(labels);
  if (counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return metric;
}

double per_sample(uint64_t bytes, uint64_t samples) {
  return samples == 0 ? 0 : static_cast<double>(bytes) / static_cast<double>(samples);
}

// The write-ahead log, blocks per tier and compactions of a disk store.
void add_disk_families(const DiskStats& disk, std::vector<prometheus::MetricFamily>& families) {
  using prometheus::MetricType;
  auto gauge = [&](const char* name, const char* help, double value) {
    families.push_back(single_value_family(name, help, MetricType::Gauge, value));
  };
  auto counter = [&](const char* name, const char* help, double value) {
    families.push_back(single_value_family(name, help, MetricType::Counter, value));
  };
  gauge("metrics_collector_wal_segments", "Segment files of the write-ahead log.",
        static_cast<double>(disk.wal_segments));
  gauge("metrics_collector_wal_bytes", "Bytes of the write-ahead log on disk, checkpoint included.",
        static_cast<double>(disk.wal_bytes));
  prometheus::MetricFamily fsync{"metrics_collector_wal_fsync_duration_seconds",
                                 "Time spent in fsync of the write-ahead log.",
                                 MetricType::Summary,
                                 {}};
  prometheus::ClientMetric fsync_metric;
  fsync_metric.summary.sample_count = disk.wal_fsyncs;
  fsync_metric.summary.sample_sum = disk.wal_fsync_seconds_sum;
  fsync.metric.push_back(fsync_metric);
  families.push_back(std::move(fsync));
  gauge("metrics_collector_wal_fsync_duration_seconds_max",
        "The longest fsync of the write-ahead log since start.", disk.wal_fsync_seconds_max);
  counter("metrics_collector_wal_fsync_errors_total", "Failed fsyncs of the write-ahead log.",
          static_cast<double>(disk.wal_fsync_errors));
  counter("metrics_collector_wal_write_errors_total", "Failed writes to the write-ahead log.",
          static_cast<double>(disk.wal_write_errors));
  counter("metrics_collector_wal_corruptions_total",
          "Damaged write-ahead log records found at start (torn tails included).",
          static_cast<double>(disk.wal_corruptions));

  prometheus::MetricFamily blocks{
      "metrics_collector_blocks", "Blocks on disk, by tier.", MetricType::Gauge, {}};
  prometheus::MetricFamily bytes{"metrics_collector_block_bytes",
                                 "Bytes of the blocks on disk, by tier and file (data, index).",
                                 MetricType::Gauge,
                                 {}};
  prometheus::MetricFamily samples{"metrics_collector_block_samples",
                                   "Samples in the blocks on disk, by tier.",
                                   MetricType::Gauge,
                                   {}};
  prometheus::MetricFamily ratio{"metrics_collector_block_bytes_per_sample",
                                 "Data and index bytes per sample of the blocks, by tier.",
                                 MetricType::Gauge,
                                 {}};
  for (const auto& tier : disk.tiers) {
    blocks.metric.push_back(
        labelled({{"tier", tier.tier}}, static_cast<double>(tier.blocks), false));
    bytes.metric.push_back(labelled({{"tier", tier.tier}, {"file", "data"}},
                                    static_cast<double>(tier.data_bytes), false));
    bytes.metric.push_back(labelled({{"tier", tier.tier}, {"file", "index"}},
                                    static_cast<double>(tier.index_bytes), false));
    samples.metric.push_back(
        labelled({{"tier", tier.tier}}, static_cast<double>(tier.samples), false));
    ratio.metric.push_back(labelled({{"tier", tier.tier}},
                                    per_sample(tier.data_bytes + tier.index_bytes, tier.samples),
                                    false));
  }
  families.push_back(std::move(blocks));
  families.push_back(std::move(bytes));
  families.push_back(std::move(samples));
  families.push_back(std::move(ratio));
  counter("metrics_collector_compactions_total",
          "Compaction rounds that cut, downsampled or dropped blocks.",
          static_cast<double>(disk.compactions));
  counter("metrics_collector_compaction_failures_total", "Compaction rounds that failed.",
          static_cast<double>(disk.compaction_failures));
  counter("metrics_collector_compaction_duration_seconds_total",
          "Time spent in compaction rounds that did work.", disk.compaction_seconds_sum);
  counter("metrics_collector_blocks_corrupted_total",
          "Blocks found damaged and set aside since start.",
          static_cast<double>(disk.corrupted_blocks));
  prometheus::MetricFamily cache_bytes{
      "metrics_collector_block_cache_bytes",
      "Bytes held by the caches every block shares: parsed indexes and decompressed chunk groups.",
      MetricType::Gauge,
      {}};
  prometheus::MetricFamily cache_budget{
      "metrics_collector_block_cache_budget_bytes",
      "The byte budgets of those caches (storage.block_index_cache, storage.block_group_cache).",
      MetricType::Gauge,
      {}};
  for (const auto& [cache, held, budget] :
       {std::tuple{"index", disk.index_cache_bytes, disk.index_cache_budget_bytes},
        std::tuple{"groups", disk.group_cache_bytes, disk.group_cache_budget_bytes}}) {
    cache_bytes.metric.push_back(labelled({{"cache", cache}}, static_cast<double>(held), false));
    cache_budget.metric.push_back(labelled({{"cache", cache}}, static_cast<double>(budget), false));
  }
  families.push_back(std::move(cache_bytes));
  families.push_back(std::move(cache_budget));
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
  if (stats.disk) {
    families.back().metric.push_back(rejected("out_of_bounds", stats.disk->out_of_bounds));
    add_disk_families(*stats.disk, families);
  }
  return families;
}

}  // namespace mc
