// Chunk and head benchmarks on real scrape data: MC_SHARED_DIR/data/real-1s.om.zst
// (1,394 series scraped every second for 15 minutes, 1,254,600 samples).
//
//   BM_GorillaChunkAppend   encode every series into 120-sample chunks:
//                           ns/sample, bytes_per_sample over the whole dataset
//   BM_GorillaChunkIterate  decode all those chunks with one reused iterator
//   BM_HeadAppend           replay the file into a HeadStorage, one appender per
//                           scrape, series found by cached ref as a scraper does
//
// The file is read with a minimal line splitter (`name{labels} value timestamp`,
// comments skipped) rather than the OpenMetrics parser, so this benchmark
// measures the store alone and does not depend on the parser's progress.
//
// Run: chunk_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <zstd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bench/real_dataset.hpp"
#include "common/model/labels.hpp"
#include "common/model/sample_value.hpp"
#include "common/store/chunkenc/chunk.hpp"
#include "common/store/head_storage.hpp"

namespace {

using bench::Dataset;
using bench::dataset;
using bench::Row;

std::vector<std::unique_ptr<mc::chunkenc::Chunk>> encode_all(const Dataset& d) {
  std::vector<std::unique_ptr<mc::chunkenc::Chunk>> chunks;
  for (const auto& samples : d.per_series) {
    std::unique_ptr<mc::chunkenc::ChunkAppender> appender;
    for (size_t i = 0; i < samples.size(); ++i) {
      if (i % 120 == 0) {
        chunks.push_back(mc::chunkenc::new_chunk(mc::chunkenc::ChunkEncoding::xor_gorilla));
        appender = std::move(chunks.back()->appender()).value();
      }
      appender->append(samples[i].t_ms, samples[i].v);
    }
  }
  return chunks;
}

void BM_GorillaChunkAppend(benchmark::State& state) {
  const Dataset& d = dataset();
  size_t bytes = 0;
  for (auto _ : state) {
    auto chunks = encode_all(d);
    bytes = 0;
    for (const auto& chunk : chunks) bytes += chunk->bytes().size();
    benchmark::DoNotOptimize(bytes);
  }
  const double samples = static_cast<double>(d.rows.size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * d.rows.size()));
  state.counters["ns_per_sample"] =
      benchmark::Counter(samples * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["bytes_per_sample"] = static_cast<double>(bytes) / samples;
  std::fprintf(stderr, "gorilla: %zu bytes for %zu samples = %.3f bytes/sample\n", bytes,
               d.rows.size(), static_cast<double>(bytes) / samples);
}
BENCHMARK(BM_GorillaChunkAppend)->Unit(benchmark::kMillisecond);

void BM_GorillaChunkIterate(benchmark::State& state) {
  const Dataset& d = dataset();
  const auto chunks = encode_all(d);
  std::unique_ptr<mc::chunkenc::ChunkIterator> it;
  for (auto _ : state) {
    double sum = 0;
    size_t count = 0;
    for (const auto& chunk : chunks) {
      it = mc::chunkenc::new_chunk_iterator(chunk->bytes(), std::move(it));
      while (it->next()) {
        sum += static_cast<double>(it->at().t_ms);
        ++count;
      }
      if (!it->status().is_ok()) state.SkipWithError(it->status().message().c_str());
    }
    if (count != d.rows.size()) state.SkipWithError("decoded sample count differs");
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * d.rows.size()));
  state.counters["ns_per_sample"] = benchmark::Counter(
      static_cast<double>(d.rows.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_GorillaChunkIterate)->Unit(benchmark::kMillisecond);

void BM_HeadAppend(benchmark::State& state) {
  const Dataset& d = dataset();
  mc::StorageStats stats;
  size_t memory = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto head = std::make_unique<mc::HeadStorage>();
    std::vector<mc::SeriesRef> refs(d.labels.size(), 0);
    state.ResumeTiming();

    auto appender = head->appender();
    int64_t batch_time = d.rows.empty() ? 0 : d.rows.front().t_ms;
    for (const Row& row : d.rows) {
      if (row.t_ms != batch_time) {  // each scrape has its own timestamp
        (void)appender->commit();
        batch_time = row.t_ms;
      }
      mc::SeriesRef& ref = refs[row.series];
      const auto result = appender->append(ref, d.labels[row.series], row.t_ms, row.v);
      ref = result.ref;
    }
    (void)appender->commit();

    state.PauseTiming();
    stats = head->stats();
    memory = head->memory_bytes();
    appender.reset();
    head.reset();
    state.ResumeTiming();
  }
  if (stats.samples != d.rows.size()) state.SkipWithError("head lost samples");
  const double samples = static_cast<double>(d.rows.size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * d.rows.size()));
  state.counters["ns_per_sample"] =
      benchmark::Counter(samples * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["bytes_per_sample"] = static_cast<double>(stats.chunk_bytes) / samples;
  state.counters["memory_bytes_per_series"] =
      static_cast<double>(memory) / static_cast<double>(stats.series);
  state.counters["memory_bytes_per_sample"] = static_cast<double>(memory) / samples;
  std::fprintf(stderr,
               "head: %lu series, %lu chunks, %.3f chunk bytes/sample, memory %zu bytes "
               "(%.0f/series, %.3f/sample)\n",
               static_cast<unsigned long>(stats.series), static_cast<unsigned long>(stats.chunks),
               static_cast<double>(stats.chunk_bytes) / samples, memory,
               static_cast<double>(memory) / static_cast<double>(stats.series),
               static_cast<double>(memory) / samples);
}
BENCHMARK(BM_HeadAppend)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
