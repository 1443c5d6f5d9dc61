// Write-ahead log benchmarks: 1,000 series, one batch of 1,000 samples (one
// scrape, one timestamp) per commit, values a mix of counters and gauges.
//
//   BM_WalCommit/<policy>  encode + commit batches; samples/s and bytes/sample
//                          (policy 0 never, 1 interval at 1 s, 2 always)
//   BM_WalReplay           replay 1,000 such commits (1M samples) from the
//                          page cache; samples/s, and the time is "replay 1M"
//
// Run: wal_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
// The WAL goes under $TMPDIR (often tmpfs: set TMPDIR to a disk for fsync figures).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/store/wal/wal_batch.hpp"
#include "common/store/wal/wal_replay.hpp"
#include "common/store/wal/wal_writer.hpp"

namespace {

namespace fs = std::filesystem;

constexpr int kSeries = 1000;
constexpr int kBatches = 1000;

class ScratchDir {
 public:
  ScratchDir() {
    auto pattern = (fs::temp_directory_path() / "mc-wal-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Refs as the head hands them out: a per-stripe number above 4 stripe bits.
uint64_t series_ref(int series) {
  return (static_cast<uint64_t>(series / 16 + 1) << 4) | (series % 16);
}

void fill_scrape(mc::WalBatch& batch, int scrape) {
  const int64_t t_ms = 1'700'000'000'000 + int64_t{scrape} * 15'000;
  for (int series = 0; series < kSeries; ++series) {
    const double v = series % 2 == 0 ? static_cast<double>(scrape * (series + 1))
                                     : std::sin(scrape * 0.1 + series) * 100.0;
    batch.log_sample(series_ref(series), t_ms, v);
  }
}

void BM_WalCommit(benchmark::State& state) {
  mc::WalOptions options;
  if (state.range(0) == 0) options.fsync_policy = mc::FsyncPolicy::never;
  if (state.range(0) == 1) options.fsync_policy = mc::FsyncPolicy::interval;
  if (state.range(0) == 2) options.fsync_policy = mc::FsyncPolicy::always;
  ScratchDir dir;
  auto writer = mc::WalWriter::open(dir.path() / "wal", options);
  if (!writer.is_ok()) {
    state.SkipWithError(writer.error().c_str());
    return;
  }
  mc::WalBatch batch;
  int scrape = 0;
  for (auto _ : state) {
    fill_scrape(batch, scrape++);
    auto committed = (*writer)->commit(batch);
    if (!committed.is_ok()) {
      state.SkipWithError(committed.error().c_str());
      return;
    }
  }
  const mc::WalStats stats = (*writer)->stats();
  state.SetItemsProcessed(state.iterations() * kSeries);
  state.counters["bytes_per_sample"] =
      static_cast<double>(stats.bytes_written) / (static_cast<double>(scrape) * kSeries);
  state.counters["fsyncs"] = static_cast<double>(stats.fsyncs);
}
BENCHMARK(BM_WalCommit)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("policy_never0_interval1_always2")
    ->Unit(benchmark::kMicrosecond);

class CountingHandler final : public mc::WalReplayHandler {
 public:
  void on_series(mc::SeriesRef, const mc::Labels&) override {}
  void on_metadata(mc::SeriesRef, const mc::MetricMetadata&) override {}
  void on_samples(std::span<const mc::WalSample> samples) override {
    count += samples.size();
    for (const auto& sample : samples) checksum += sample.t_ms;
  }
  uint64_t count = 0;
  int64_t checksum = 0;
};

void BM_WalReplay(benchmark::State& state) {
  ScratchDir dir;
  {
    mc::WalOptions options;
    options.fsync_policy = mc::FsyncPolicy::never;
    auto writer = mc::WalWriter::open(dir.path() / "wal", options);
    if (!writer.is_ok()) {
      state.SkipWithError(writer.error().c_str());
      return;
    }
    mc::WalBatch batch;
    for (int series = 0; series < kSeries; ++series) {
      batch.log_series(series_ref(series),
                       mc::Labels{{"__name__", "metric_" + std::to_string(series % 50)},
                                  {"instance", "host-" + std::to_string(series / 50)}});
    }
    for (int scrape = 0; scrape < kBatches; ++scrape) {
      fill_scrape(batch, scrape);
      if (!(*writer)->commit(batch).is_ok()) {
        state.SkipWithError("commit failed");
        return;
      }
    }
  }
  for (auto _ : state) {
    CountingHandler handler;
    auto replayed = mc::replay_wal(dir.path() / "wal", handler);
    if (!replayed.is_ok() || handler.count != uint64_t{kSeries} * kBatches) {
      state.SkipWithError("replay failed");
      return;
    }
    benchmark::DoNotOptimize(handler.checksum);
  }
  state.SetItemsProcessed(state.iterations() * kSeries * kBatches);
}
BENCHMARK(BM_WalReplay)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
