// StorageCollector: the store's statistics as meta-metrics, read from
// Storage::stats() at collect time (nothing is updated on the append path):
//
//   metrics_collector_head_series                  gauge
//   metrics_collector_head_chunks                  gauge
//   metrics_collector_head_chunk_bytes             gauge
//   metrics_collector_head_samples                 gauge
//   metrics_collector_head_bytes_per_sample        gauge (chunk bytes / samples)
//   metrics_collector_samples_appended_total       counter
//   metrics_collector_samples_rejected_total{reason="out_of_order|duplicate_timestamp"}
//
// Thread-safety: Collect() may run on many threads at once (Storage::stats()
// is thread-safe). The Storage must outlive the collector.
#pragma once

#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include "common/store/storage.hpp"

namespace mc {

class StorageCollector final : public prometheus::Collectable {
 public:
  explicit StorageCollector(const Storage& storage) : storage_(storage) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const Storage& storage_;
};

}  // namespace mc
