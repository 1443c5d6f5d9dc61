// The disk store end to end (common/store/disk_storage.hpp), on generated data:
//
//   BM_StoreAppend            one commit per "scrape" of N series (refs cached, as a
//                             scraper appends), WAL on with the default fsync policy
//                             (interval, 1 s): ns/sample and samples/s per core
//   BM_StoreCommitLatency     the same commits, with and without a thread cutting
//                             blocks and checkpointing meanwhile: p50 / p99 / max of
//                             one commit of 1,000 samples (compaction must not stall)
//   BM_StoreRangeRead         select every series of flushed blocks and decode all
//                             samples: samples/s
//   BM_StoreHeadMemory        head bytes per active series after 120 samples each
//
// Run: store_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/store/disk_storage.hpp"

namespace {

namespace fs = std::filesystem;

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "mc-store-bench-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~ScratchDir() {
    std::error_code error;
    fs::remove_all(path_, error);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::vector<mc::Labels> make_labels(int series) {
  std::vector<mc::Labels> labels;
  labels.reserve(series);
  for (int i = 0; i < series; ++i) {
    labels.push_back(mc::Labels{{"__name__", "node_metric_" + std::to_string(i % 50)},
                                {"cpu", std::to_string(i / 50 % 8)},
                                {"instance", "10.0.0." + std::to_string(i / 400) + ":9100"},
                                {"job", "node"},
                                {"mode", std::to_string(i / 3200)}});
  }
  return labels;
}

std::unique_ptr<mc::DiskStorage> open_store(const fs::path& dir, int64_t block_duration_ms) {
  mc::DiskStorageOptions options;
  options.dir = dir;
  options.block_duration_ms = block_duration_ms;
  options.compaction_interval = std::chrono::milliseconds(0);
  auto opened = mc::DiskStorage::open(options);
  if (!opened) throw std::runtime_error(opened.error());
  return std::move(*opened);
}

// Appends one scrape of every series at time t (10 s steps), values a noisy counter.
void append_scrape(mc::Storage& storage, const std::vector<mc::Labels>& labels,
                   std::vector<mc::SeriesRef>& refs, int64_t t) {
  auto appender = storage.appender();
  for (size_t i = 0; i < labels.size(); ++i) {
    refs[i] =
        appender->append(refs[i], labels[i], t, static_cast<double>(t / 1000 * (i % 7 + 1))).ref;
  }
  if (!appender->commit()) throw std::runtime_error("commit failed");
}

void BM_StoreAppend(benchmark::State& state) {
  ScratchDir dir;
  auto store = open_store(dir.path(), 2 * 3600 * 1000);
  const auto labels = make_labels(static_cast<int>(state.range(0)));
  std::vector<mc::SeriesRef> refs(labels.size(), 0);
  int64_t t = 0;
  append_scrape(*store, labels, refs, t);  // series created outside the timing
  for (auto _ : state) {
    t += 10'000;
    append_scrape(*store, labels, refs, t);
  }
  const double samples =
      static_cast<double>(state.iterations()) * static_cast<double>(labels.size());
  state.counters["samples_per_second"] = benchmark::Counter(samples, benchmark::Counter::kIsRate);
  state.counters["ns_per_sample"] =
      benchmark::Counter(samples * 1e-9, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["wal_bytes_per_sample"] =
      static_cast<double>(store->stats().disk->wal_bytes) / (samples + labels.size());
}
BENCHMARK(BM_StoreAppend)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_StoreCommitLatency(benchmark::State& state) {
  const bool compacting = state.range(0) != 0;
  ScratchDir dir;
  // 1-minute blocks at a 1 s step: a block is cut every 60 commits.
  auto store = open_store(dir.path(), 60'000);
  const auto labels = make_labels(1000);
  std::vector<mc::SeriesRef> refs(labels.size(), 0);
  std::vector<double> latencies_us;
  std::atomic<bool> stop{false};
  std::thread compactor;
  if (compacting) {
    compactor = std::thread([&] {
      while (!stop.load()) {
        if (!store->compact()) break;
      }
    });
  }
  int64_t t = 0;
  for (auto _ : state) {
    t += 1000;
    const auto start = std::chrono::steady_clock::now();
    append_scrape(*store, labels, refs, t);
    latencies_us.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count());
  }
  stop = true;
  if (compactor.joinable()) compactor.join();
  std::sort(latencies_us.begin(), latencies_us.end());
  auto at = [&](double q) {
    return latencies_us[std::min(
        latencies_us.size() - 1,
        static_cast<size_t>(q * static_cast<double>(latencies_us.size())))];
  };
  state.counters["p50_us"] = at(0.5);
  state.counters["p99_us"] = at(0.99);
  state.counters["max_us"] = latencies_us.back();
  state.counters["blocks"] = static_cast<double>(
      store->stats().disk->tiers.empty() ? 0 : store->stats().disk->tiers[0].blocks);
}
BENCHMARK(BM_StoreCommitLatency)
    ->Arg(0)
    ->Arg(1)
    ->Iterations(3000)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

void BM_StoreRangeRead(benchmark::State& state) {
  ScratchDir dir;
  auto store = open_store(dir.path(), 2 * 3600 * 1000);
  const auto labels = make_labels(1000);
  std::vector<mc::SeriesRef> refs(labels.size(), 0);
  for (int64_t t = 0; t < 4 * 3600 * 1000; t += 10'000) append_scrape(*store, labels, refs, t);
  if (!store->flush()) throw std::runtime_error("flush failed");
  auto all = mc::Matcher::make(mc::Matcher::Kind::regex, "__name__", ".+");
  uint64_t samples = 0;
  for (auto _ : state) {
    auto querier = store->querier(0, 4 * 3600 * 1000);
    for (const auto& series : querier->select({*all})) {
      auto it = series->iterator();
      while (it->next()) {
        benchmark::DoNotOptimize(it->at());
        ++samples;
      }
    }
  }
  state.counters["samples_per_second"] =
      benchmark::Counter(static_cast<double>(samples), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StoreRangeRead)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_StoreHeadMemory(benchmark::State& state) {
  for (auto _ : state) {
    ScratchDir dir;
    auto store = open_store(dir.path(), 2 * 3600 * 1000);
    const auto labels = make_labels(10000);
    std::vector<mc::SeriesRef> refs(labels.size(), 0);
    for (int64_t t = 0; t < 120 * 10'000; t += 10'000) append_scrape(*store, labels, refs, t);
    state.counters["head_bytes_per_series"] =
        static_cast<double>(store->head_memory_bytes()) / static_cast<double>(labels.size());
  }
}
BENCHMARK(BM_StoreHeadMemory)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
