// Block benchmarks on real scrape data: MC_SHARED_DIR/data/real-1s.om.zst
// (1,394 series scraped every second for 15 minutes, 1,254,600 samples).
//
//   BM_BlockWrite/<group KiB>/<zstd level>
//       write one raw block of the whole dataset to a temp dir: samples/s, and
//       the counters data_bytes_per_sample, index_bytes_per_sample,
//       total_bytes_per_sample (the goal: total <= 0.32)
//   BM_BlockReadAll/<group KiB>    decode every sample of every series
//   BM_BlockReadRange/<group KiB>  decode a 60 s range of every series
//       (samples/s decoded; the group cache is warm after the first pass)
//
// The file is read with the minimal line splitter of chunk_bench.cpp.
//
// Run: block_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <zstd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <set>
#include "bench/real_dataset.hpp"
#include "common/model/labels.hpp"
#include "common/model/sample_value.hpp"
#include "common/store/block/block_reader.hpp"
#include "common/store/block/block_writer.hpp"
#include "common/store/columnar/column_codec.hpp"

namespace {

using bench::Dataset;
using bench::dataset;
using bench::Row;

// The dataset as a block writer wants it: series in label order, columns apart.
struct Columns {
  std::vector<uint32_t> order;  // series numbers sorted by labels
  std::vector<std::vector<int64_t>> timestamps;
  std::vector<std::vector<double>> values;
  int64_t min_time = INT64_MAX;
  int64_t max_time = INT64_MIN;
  size_t samples = 0;
};

const Columns& columns() {
  static const Columns data = [] {
    const Dataset& d = dataset();
    Columns c;
    c.order.resize(d.labels.size());
    std::iota(c.order.begin(), c.order.end(), 0u);
    std::sort(c.order.begin(), c.order.end(),
              [&](uint32_t a, uint32_t b) { return d.labels[a] < d.labels[b]; });
    c.timestamps.resize(d.labels.size());
    c.values.resize(d.labels.size());
    for (size_t s = 0; s < d.per_series.size(); ++s) {
      for (const mc::Sample& sample : d.per_series[s]) {
        c.timestamps[s].push_back(sample.t_ms);
        c.values[s].push_back(sample.v);
      }
      c.min_time = std::min(c.min_time, c.timestamps[s].front());
      c.max_time = std::max(c.max_time, c.timestamps[s].back());
      c.samples += d.per_series[s].size();
    }
    return c;
  }();
  return data;
}

std::filesystem::path bench_dir() {
  static const std::filesystem::path dir = [] {
    auto pattern = (std::filesystem::temp_directory_path() / "mc-block-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return std::filesystem::path(pattern);
  }();
  return dir;
}

// Writes the dataset as a block under `parent`, which must not hold it yet.
std::string write_block(const std::filesystem::path& parent,
                        mc::block::BlockWriterOptions options) {
  const Dataset& d = dataset();
  const Columns& c = columns();
  mc::block::BlockMeta meta;
  meta.min_time = c.min_time;
  meta.max_time = c.max_time;
  auto writer = mc::block::BlockWriter::create(parent.string(), meta, options);
  if (!writer) throw std::runtime_error(writer.error());
  for (const uint32_t s : c.order) {
    const std::span<const double> values = c.values[s];
    const auto status =
        (*writer)->add_series(d.labels[s], nullptr, c.timestamps[s], std::span(&values, 1));
    if (!status) throw std::runtime_error(status.message());
  }
  auto dir = (*writer)->finish();
  if (!dir) throw std::runtime_error(dir.error());
  return *dir;
}

// What the shared timestamp columns save: the bytes of every series' timestamps
// column against those of the distinct ones (one chunk per series here: 900
// samples < 4096).
void report_timestamp_sharing() {
  const Columns& c = columns();
  std::set<std::vector<uint8_t>> distinct;
  size_t all_bytes = 0;
  size_t distinct_bytes = 0;
  for (const auto& timestamps : c.timestamps) {
    std::vector<uint8_t> column;
    mc::columnar::encode_timestamps(timestamps, column);
    all_bytes += column.size();
    if (distinct.insert(column).second) distinct_bytes += column.size();
  }
  const double samples = static_cast<double>(c.samples);
  std::fprintf(stderr,
               "timestamps: %zu columns, %zu distinct; %zu bytes unshared (%.4f/sample), "
               "%zu shared (%.4f/sample)\n",
               c.timestamps.size(), distinct.size(), all_bytes,
               static_cast<double>(all_bytes) / samples, distinct_bytes,
               static_cast<double>(distinct_bytes) / samples);
}

void BM_BlockWrite(benchmark::State& state) {
  static const bool reported = (report_timestamp_sharing(), true);
  (void)reported;
  const Columns& c = columns();
  mc::block::BlockWriterOptions options;
  options.group_target_bytes = static_cast<size_t>(state.range(0)) << 10;
  options.zstd_level = static_cast<int>(state.range(1));
  const auto parent = bench_dir() / ("write-" + std::to_string(state.range(0)) + "-" +
                                     std::to_string(state.range(1)));
  uint64_t data_bytes = 0;
  uint64_t index_bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove_all(parent);
    std::filesystem::create_directories(parent);
    state.ResumeTiming();
    const std::string dir = write_block(parent, options);
    state.PauseTiming();
    data_bytes = std::filesystem::file_size(dir + "/data");
    index_bytes = std::filesystem::file_size(dir + "/index");
    state.ResumeTiming();
  }
  std::filesystem::remove_all(parent);
  const double samples = static_cast<double>(c.samples);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * c.samples));
  state.counters["data_bytes_per_sample"] = static_cast<double>(data_bytes) / samples;
  state.counters["index_bytes_per_sample"] = static_cast<double>(index_bytes) / samples;
  state.counters["total_bytes_per_sample"] =
      static_cast<double>(data_bytes + index_bytes) / samples;
  std::fprintf(stderr,
               "block group=%ldKiB zstd=%ld: data %lu bytes (%.4f/sample), index %lu bytes "
               "(%.4f/sample), total %.4f bytes/sample\n",
               static_cast<long>(state.range(0)), static_cast<long>(state.range(1)),
               static_cast<unsigned long>(data_bytes), static_cast<double>(data_bytes) / samples,
               static_cast<unsigned long>(index_bytes), static_cast<double>(index_bytes) / samples,
               static_cast<double>(data_bytes + index_bytes) / samples);
}
BENCHMARK(BM_BlockWrite)
    ->ArgsProduct({{16, 64, 256}, {1, 3, 9, 19}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// One block per group size, written once and shared by the read benchmarks.
std::shared_ptr<mc::block::BlockReader> read_block(int64_t group_kib) {
  static std::unordered_map<int64_t, std::shared_ptr<mc::block::BlockReader>> blocks;
  auto& block = blocks[group_kib];
  if (!block) {
    mc::block::BlockWriterOptions options;
    options.group_target_bytes = static_cast<size_t>(group_kib) << 10;
    const auto parent = bench_dir() / ("read-" + std::to_string(group_kib));
    std::filesystem::remove_all(parent);
    std::filesystem::create_directories(parent);
    auto reader = mc::block::BlockReader::open(write_block(parent, options));
    if (!reader) throw std::runtime_error(reader.error());
    block = *reader;
  }
  return block;
}

void read_range(benchmark::State& state, int64_t range_ms) {
  const auto block = read_block(state.range(0));
  const Columns& c = columns();
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  size_t decoded = 0;
  for (auto _ : state) {
    for (uint32_t s = 0; s < block->num_series(); ++s) {
      const int64_t mint = range_ms < 0 ? INT64_MIN : c.min_time + 300000;
      const int64_t maxt = range_ms < 0 ? INT64_MAX : mint + range_ms;
      const auto status = block->read(s, mint, maxt, 0, timestamps, values);
      if (!status) state.SkipWithError(status.message().c_str());
      decoded += timestamps.size();
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(decoded));
}

void BM_BlockReadAll(benchmark::State& state) { read_range(state, -1); }
BENCHMARK(BM_BlockReadAll)->Arg(16)->Arg(64)->Arg(256)->Unit(benchmark::kMillisecond);

void BM_BlockReadRange(benchmark::State& state) { read_range(state, 60000); }
BENCHMARK(BM_BlockReadRange)->Arg(16)->Arg(64)->Arg(256)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::filesystem::remove_all(bench_dir());
  return 0;
}
