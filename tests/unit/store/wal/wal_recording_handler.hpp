// A WalReplayHandler that keeps what it is given, for the WAL tests to compare
// with what they logged (values compared by bits).
#pragma once

#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/store/wal/wal_batch.hpp"
#include "common/store/wal/wal_replay.hpp"

namespace mc::test {

struct WalLoggedSeries {
  SeriesRef ref;
  Labels labels;
  bool operator==(const WalLoggedSeries&) const = default;
};

struct WalLoggedMetadata {
  SeriesRef ref;
  MetricMetadata metadata;
  bool operator==(const WalLoggedMetadata&) const = default;
};

// A sample with its value as bits, so NaN payloads compare.
struct WalLoggedSample {
  SeriesRef ref;
  int64_t t_ms;
  uint64_t value_bits;
  bool operator==(const WalLoggedSample&) const = default;
};

inline WalLoggedSample logged(const WalSample& sample) {
  return {sample.ref, sample.t_ms, std::bit_cast<uint64_t>(sample.v)};
}

class WalRecordingHandler final : public WalReplayHandler {
 public:
  void on_series(SeriesRef ref, const Labels& labels) override { series.push_back({ref, labels}); }
  void on_metadata(SeriesRef ref, const MetricMetadata& metadata) override {
    metadata_entries.push_back({ref, metadata});
  }
  void on_samples(std::span<const WalSample> batch) override {
    sample_batches.emplace_back();
    for (const WalSample& sample : batch) {
      samples.push_back(logged(sample));
      sample_batches.back().push_back(logged(sample));
    }
  }

  std::vector<WalLoggedSeries> series;
  std::vector<WalLoggedMetadata> metadata_entries;
  std::vector<WalLoggedSample> samples;
  std::vector<std::vector<WalLoggedSample>> sample_batches;  // one per samples record
};

inline Labels wal_test_labels(uint64_t i) {
  return Labels{{"__name__", "metric_" + std::to_string(i % 7)},
                {"instance", "host-" + std::to_string(i)}};
}

}  // namespace mc::test
