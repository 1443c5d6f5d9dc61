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

#include "common/model/labels.hpp"
#include "common/model/sample_value.hpp"
#include "common/store/chunkenc/chunk.hpp"
#include "common/store/head_storage.hpp"

namespace {

struct Row {
  uint32_t series;
  int64_t t_ms;
  double v;
};

struct Dataset {
  std::string text;  // decompressed file; series ids point into it
  std::vector<mc::Labels> labels;
  std::vector<Row> rows;  // in file order: scrape after scrape
  std::vector<std::vector<mc::Sample>> per_series;
};

std::string decompress(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot open " + path);
  const std::string compressed((std::istreambuf_iterator<char>(file)),
                               std::istreambuf_iterator<char>());
  std::string out;
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> context(ZSTD_createDCtx(), ZSTD_freeDCtx);
  std::vector<char> buffer(ZSTD_DStreamOutSize());
  ZSTD_inBuffer input{compressed.data(), compressed.size(), 0};
  while (input.pos < input.size) {
    ZSTD_outBuffer output{buffer.data(), buffer.size(), 0};
    const size_t status = ZSTD_decompressStream(context.get(), &output, &input);
    if (ZSTD_isError(status)) throw std::runtime_error(ZSTD_getErrorName(status));
    out.append(buffer.data(), output.pos);
  }
  return out;
}

double parse_value(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw std::runtime_error("bad value: " + std::string(text));
  }
  return value;
}

// "1795418784.250" seconds -> 1795418784250 ms, exactly.
int64_t parse_timestamp_ms(std::string_view text) {
  const size_t dot = text.find('.');
  int64_t seconds = 0;
  std::from_chars(text.data(), text.data() + std::min(dot, text.size()), seconds);
  int64_t millis = 0;
  if (dot != std::string_view::npos) {
    std::string fraction(text.substr(dot + 1, 3));
    fraction.resize(3, '0');
    std::from_chars(fraction.data(), fraction.data() + 3, millis);
  }
  return seconds * 1000 + millis;
}

mc::Labels parse_series(std::string_view id) {
  std::vector<mc::Label> labels;
  const size_t brace = id.find('{');
  labels.push_back({"__name__", std::string(id.substr(0, brace))});
  size_t i = brace == std::string_view::npos ? id.size() : brace + 1;
  while (i < id.size() && id[i] != '}') {
    const size_t eq = id.find('=', i);
    std::string name(id.substr(i, eq - i));
    std::string value;
    for (i = eq + 2; id[i] != '"'; ++i) {
      if (id[i] == '\\') {
        ++i;
        value += id[i] == 'n' ? '\n' : id[i];
      } else {
        value += id[i];
      }
    }
    ++i;  // closing quote
    if (i < id.size() && id[i] == ',') ++i;
    labels.push_back({std::move(name), std::move(value)});
  }
  return mc::Labels(std::move(labels));
}

const Dataset& dataset() {
  static const Dataset data = [] {
    Dataset d;
    d.text = decompress(std::string(MC_SHARED_DIR) + "/data/real-1s.om.zst");
    std::unordered_map<std::string_view, uint32_t> index;
    std::string_view rest = d.text;
    while (!rest.empty()) {
      const size_t newline = rest.find('\n');
      std::string_view line = rest.substr(0, newline);
      rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
      if (line.empty() || line.front() == '#') continue;
      const size_t last_space = line.rfind(' ');
      const size_t value_space = line.rfind(' ', last_space - 1);
      const std::string_view id = line.substr(0, value_space);
      auto [it, inserted] = index.try_emplace(id, static_cast<uint32_t>(d.labels.size()));
      if (inserted) {
        d.labels.push_back(parse_series(id));
        d.per_series.emplace_back();
      }
      const Row row{it->second, parse_timestamp_ms(line.substr(last_space + 1)),
                    parse_value(line.substr(value_space + 1, last_space - value_space - 1))};
      d.rows.push_back(row);
      d.per_series[row.series].push_back({row.t_ms, row.v});
    }
    std::fprintf(stderr, "dataset: %zu series, %zu samples\n", d.labels.size(), d.rows.size());
    return d;
  }();
  return data;
}

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
