// /metrics rendering, old against new, CPU time per exposed series:
//   Sorted*   MetricsRenderer::render: FamilySet + write_exposition, sorted, whole page
//   Streamed* MetricsRenderer::stream: MetricsPage, store order, cached prefixes,
//             64 KiB pieces to a sink that only counts them
//   StreamedUncached* stream() with a prefix cache of 0 bytes (every prefix made per request)
// over a head holding N targets' node_exporter pages (512 series each, scraped
// twice through ScrapeLoop): 2, 40 and 391 targets = 1,024, 20,480 and 200,192
// series. Gzip variants: gzip_compress of the whole page (old) against
// gzip_streamed (new). The lookback is a day, so that a long run still sees
// every series.
//
// Run (old and new repetitions interleaved, so both see the same machine):
//   build/bench/render_bench --benchmark_repetitions=5
//     --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/node_page.hpp"
#include "collector/scrape/scrape_loop.hpp"
#include "common/store/head_storage.hpp"
#include "exporter/gzip.hpp"
#include "exporter/metrics_renderer.hpp"

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A head with `targets` node pages scraped twice, kept for the whole run.
struct ScrapedHead {
  mc::HeadStorage storage;
  bool ok = true;

  explicit ScrapedHead(int targets) {
    mc::ScrapeConfig job;
    job.job_name = "node";
    job.scrape_interval = std::chrono::seconds(15);
    job.scrape_timeout = std::chrono::seconds(10);
    const std::vector<std::string> pages = bench::node_page_variants(2);
    std::vector<std::unique_ptr<mc::ScrapeLoop>> loops;
    for (int i = 0; i < targets; ++i) {
      loops.push_back(std::make_unique<mc::ScrapeLoop>(
          mc::ScrapeTarget(
              job, "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ":9100", {}),
          job, storage));
    }
    const int64_t t_ms = now_ms();
    for (int round = 0; round < 2; ++round) {
      for (auto& loop : loops) {
        mc::ScrapeResponse response;
        response.body = pages[static_cast<size_t>(round) % pages.size()];
        response.content_type = "text/plain; version=0.0.4";
        if (!loop->process(response, t_ms - 15'000 * (1 - round), 0.01).up) ok = false;
      }
    }
  }
};

ScrapedHead& head_of(int targets) {
  static std::map<int, std::unique_ptr<ScrapedHead>> heads;
  auto& head = heads[targets];
  if (!head) head = std::make_unique<ScrapedHead>(targets);
  return *head;
}

enum class Way { sorted, streamed, streamed_uncached };

void run(benchmark::State& state, Way way, mc::ExpositionFormat format, bool gzip) {
  if (bench::node_page_variants(1).empty()) {
    state.SkipWithError("../shared/data/node_exporter-1.5.0-page.prom not found");
    return;
  }
  ScrapedHead& head = head_of(static_cast<int>(state.range(0)));
  if (!head.ok) {
    state.SkipWithError("a scrape failed");
    return;
  }
  mc::MetricsRendererOptions options;
  options.lookback = std::chrono::hours(24);
  if (way == Way::streamed_uncached) options.prefix_cache_bytes = 0;
  mc::MetricsRenderer renderer(options, head.storage, std::make_shared<prometheus::Registry>());
  size_t body_bytes = 0;
  const mc::BodySink counting = [&body_bytes](std::string_view piece) {
    body_bytes += piece.size();
    benchmark::DoNotOptimize(piece.data());
    return true;
  };
  const mc::BodyProducer plain = [&](const mc::BodySink& sink) {
    renderer.stream(format, true, sink);
  };
  const mc::BodyProducer compressed = mc::gzip_streamed(plain);
  if (way != Way::sorted) plain(counting);  // the cache is warm in the daemon from the 2nd scrape
  for (auto _ : state) {
    body_bytes = 0;
    if (way == Way::sorted) {
      std::string body = renderer.render(format, true);
      if (gzip) {
        std::string out;
        mc::gzip_compress(body, out);
        body_bytes = out.size();
      } else {
        body_bytes = body.size();
      }
      benchmark::DoNotOptimize(body);
    } else if (gzip) {
      compressed(counting);
    } else {
      plain(counting);
    }
  }
  const auto series = static_cast<double>(head.storage.stats().series);
  state.counters["series"] = series;
  state.counters["body_bytes"] = static_cast<double>(body_bytes);
  // CPU time per series (the benchmark measures CPU time: no UseRealTime).
  state.counters["ns_per_series"] =
      benchmark::Counter(series * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["cache_bytes_per_series"] =
      static_cast<double>(renderer.cached_prefix_bytes()) / series;
}

void BM_SortedText(benchmark::State& s) {
  run(s, Way::sorted, mc::ExpositionFormat::prometheus_text, false);
}
void BM_StreamedText(benchmark::State& s) {
  run(s, Way::streamed, mc::ExpositionFormat::prometheus_text, false);
}
void BM_StreamedUncachedText(benchmark::State& s) {
  run(s, Way::streamed_uncached, mc::ExpositionFormat::prometheus_text, false);
}
void BM_SortedOpenMetrics(benchmark::State& s) {
  run(s, Way::sorted, mc::ExpositionFormat::openmetrics, false);
}
void BM_StreamedOpenMetrics(benchmark::State& s) {
  run(s, Way::streamed, mc::ExpositionFormat::openmetrics, false);
}
void BM_SortedTextGzip(benchmark::State& s) {
  run(s, Way::sorted, mc::ExpositionFormat::prometheus_text, true);
}
void BM_StreamedTextGzip(benchmark::State& s) {
  run(s, Way::streamed, mc::ExpositionFormat::prometheus_text, true);
}

#define MC_RENDER_SIZES ->Arg(2)->Arg(40)->Arg(391)->Unit(benchmark::kMillisecond)
BENCHMARK(BM_SortedText) MC_RENDER_SIZES;
BENCHMARK(BM_StreamedText) MC_RENDER_SIZES;
BENCHMARK(BM_StreamedUncachedText) MC_RENDER_SIZES;
BENCHMARK(BM_SortedOpenMetrics) MC_RENDER_SIZES;
BENCHMARK(BM_StreamedOpenMetrics) MC_RENDER_SIZES;
BENCHMARK(BM_SortedTextGzip) MC_RENDER_SIZES;
BENCHMARK(BM_StreamedTextGzip) MC_RENDER_SIZES;

}  // namespace

BENCHMARK_MAIN();
