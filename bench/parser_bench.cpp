// Exposition parser throughput: bytes/s and samples/s.
//
//   ParsePrometheusText: one real node_exporter 1.5.0 page (text 0.0.4, 57 KB).
//   ParseOpenMetricsBackfill: the first ~20 MB of real-1s.om (three exporters
//     scraped every second, explicit timestamps in seconds). That file has no
//     metadata and repeats every family once per scrape, which the strict
//     OpenMetrics rule on clashing names rejects at the second scrape (as it
//     should: it is one exposition only in the backfill sense), so it is parsed
//     with ParseOptions::allow_repeated_families, the mode Prometheus's own
//     OpenMetrics parser and `promtool tsdb create-blocks-from openmetrics` use.
//
// Run: build-parser/bench/parser_bench --benchmark_repetitions=5
//      --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <zstd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "common/exposition/parser.hpp"

namespace {

constexpr size_t kOpenMetricsSliceBytes = 20 << 20;

class CountingHandler : public mc::ExpositionHandler {
 public:
  void on_family(const mc::FamilyView& family) override { families += family.name.size() > 0; }
  void on_sample(const mc::SampleView& sample) override {
    ++samples;
    value_sum += sample.value;
    label_count += sample.labels.size();
  }

  int64_t families = 0;
  int64_t samples = 0;
  int64_t label_count = 0;
  double value_sum = 0;
};

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// The first `limit` bytes of a zstd file, cut after the last whole line, ending in "# EOF\n".
std::optional<std::string> decompress_prefix(const std::string& path, size_t limit) {
  const auto compressed = read_file(path);
  if (!compressed) return std::nullopt;
  std::string out;
  out.resize(limit);
  ZSTD_DStream* stream = ZSTD_createDStream();
  ZSTD_initDStream(stream);
  ZSTD_inBuffer input{compressed->data(), compressed->size(), 0};
  ZSTD_outBuffer output{out.data(), out.size(), 0};
  while (output.pos < output.size && input.pos < input.size) {
    const size_t result = ZSTD_decompressStream(stream, &output, &input);
    if (ZSTD_isError(result)) {
      ZSTD_freeDStream(stream);
      return std::nullopt;
    }
    if (result == 0) break;
  }
  ZSTD_freeDStream(stream);
  out.resize(output.pos);
  const size_t last_newline = out.rfind('\n');
  out.resize(last_newline == std::string::npos ? 0 : last_newline + 1);
  if (!out.ends_with("# EOF\n")) out += "# EOF\n";
  return out;
}

void run_parse(benchmark::State& state, const std::string& body, mc::ExpositionFormat format,
               const mc::ParseOptions& options) {
  CountingHandler handler;
  for (auto _ : state) {
    const mc::Status status = mc::parse_exposition(body, format, handler, options);
    if (!status) {
      state.SkipWithError(("parse failed: " + status.message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(handler.value_sum);
  }
  const int64_t samples_per_parse = handler.samples / static_cast<int64_t>(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(body.size()));
  state.SetItemsProcessed(handler.samples);
  state.counters["samples_per_parse"] = static_cast<double>(samples_per_parse);
  state.counters["body_bytes"] = static_cast<double>(body.size());
}

void BM_ParsePrometheusText(benchmark::State& state) {
  static const auto page = read_file(MC_SHARED_DIR "/data/node_exporter-1.5.0-page.prom");
  if (!page) {
    state.SkipWithError(MC_SHARED_DIR "/data/node_exporter-1.5.0-page.prom not found");
    return;
  }
  run_parse(state, *page, mc::ExpositionFormat::prometheus_text, {});
}
BENCHMARK(BM_ParsePrometheusText);

void BM_ParseOpenMetricsBackfill(benchmark::State& state) {
  static const auto slice =
      decompress_prefix(MC_SHARED_DIR "/data/real-1s.om.zst", kOpenMetricsSliceBytes);
  if (!slice) {
    state.SkipWithError(MC_SHARED_DIR "/data/real-1s.om.zst not found or not readable");
    return;
  }
  mc::ParseOptions options;
  options.allow_repeated_families = true;
  run_parse(state, *slice, mc::ExpositionFormat::openmetrics, options);
}
BENCHMARK(BM_ParseOpenMetricsBackfill)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
