// What one GET /metrics costs the daemon: Exporter::render_metrics over a head
// holding N targets' node_exporter pages (about 1,000 series each, scraped
// through ScrapeLoop as in the daemon), in text 0.0.4 and OpenMetrics, with
// and without gzip. Reported per exposed series.
//
// It also measures how long a scrape's commit waits while a render runs
// (BM_ScrapeDuringRender): a render must not hold the head's locks for long,
// or the daemon's own scrapes fall behind while Prometheus reads :9993.
//
// Run: build/bench/exporter_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/node_page.hpp"
#include "collector/scrape/scrape_loop.hpp"
#include "common/store/head_storage.hpp"
#include "exporter/exporter.hpp"
#include "exporter/gzip.hpp"

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A head with `targets` node pages scraped twice (so series have metadata and
// a chunk), at the current time so that /metrics's lookback sees them.
struct ScrapedHead {
  mc::HeadStorage storage;
  mc::ScrapeConfig job;
  std::vector<std::unique_ptr<mc::ScrapeLoop>> loops;
  std::vector<std::string> pages = bench::node_page_variants(4);
  int64_t samples_per_round = 0;

  explicit ScrapedHead(int targets, mc::HeadOptions options = {}) : storage(options) {
    job.job_name = "node";
    job.scrape_interval = std::chrono::seconds(15);
    job.scrape_timeout = std::chrono::seconds(10);
    for (int i = 0; i < targets; ++i) {
      loops.push_back(std::make_unique<mc::ScrapeLoop>(
          mc::ScrapeTarget(
              job, "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ":9100", {}),
          job, storage));
    }
  }

  // One scrape of every target at `t_ms`; false when a scrape failed.
  bool scrape_all(int64_t t_ms, int variant) {
    int64_t samples = 0;
    for (auto& loop : loops) {
      mc::ScrapeResponse response;
      response.body = pages[variant % pages.size()];
      response.content_type = "text/plain; version=0.0.4";
      auto report = loop->process(response, t_ms, 0.01);
      if (!report.up) return false;
      samples += static_cast<int64_t>(report.samples_scraped);
    }
    samples_per_round = samples;
    return true;
  }
};

std::unique_ptr<mc::Exporter> start_exporter(mc::Storage& storage) {
  mc::ExporterOptions options;
  options.listen_address = "127.0.0.1:0";
  options.worker_threads = 1;
  auto exporter = mc::Exporter::start(options, storage, std::make_shared<prometheus::Registry>());
  return exporter ? std::move(*exporter) : nullptr;
}

void render(benchmark::State& state, mc::ExpositionFormat format, bool gzip) {
  if (bench::node_page_variants(1).empty()) {
    state.SkipWithError("../shared/data/node_exporter-1.5.0-page.prom not found");
    return;
  }
  ScrapedHead head(static_cast<int>(state.range(0)));
  const int64_t t_ms = now_ms();
  if (!head.scrape_all(t_ms - 15'000, 0) || !head.scrape_all(t_ms, 1)) {
    state.SkipWithError("a scrape failed");
    return;
  }
  auto exporter = start_exporter(head.storage);
  if (!exporter) {
    state.SkipWithError("the exporter did not start");
    return;
  }
  size_t body_bytes = 0;
  for (auto _ : state) {
    std::string body = exporter->render_metrics(format, true);
    if (gzip) {
      std::string compressed;
      mc::gzip_compress(body, compressed);
      body_bytes = compressed.size();
    } else {
      body_bytes = body.size();
    }
    benchmark::DoNotOptimize(body);
  }
  const auto series = static_cast<double>(head.storage.stats().series);
  state.counters["series"] = series;
  state.counters["body_bytes"] = static_cast<double>(body_bytes);
  state.counters["ns_per_series"] =
      benchmark::Counter(series * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_RenderText(benchmark::State& state) {
  render(state, mc::ExpositionFormat::prometheus_text, false);
}
void BM_RenderOpenMetrics(benchmark::State& state) {
  render(state, mc::ExpositionFormat::openmetrics, false);
}
void BM_RenderTextGzip(benchmark::State& state) {
  render(state, mc::ExpositionFormat::prometheus_text, true);
}
BENCHMARK(BM_RenderText)->Arg(20)->Arg(200)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RenderOpenMetrics)->Arg(200)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RenderTextGzip)->Arg(200)->Unit(benchmark::kMillisecond)->UseRealTime();

// Wall time of one round of scrapes (all targets) while another thread renders
// /metrics without pause, against the same round with no render: the ratio
// is how much a reader of :9993 slows the daemon's own scraping.
void BM_ScrapeRound(benchmark::State& state) {
  if (bench::node_page_variants(1).empty()) {
    state.SkipWithError("../shared/data/node_exporter-1.5.0-page.prom not found");
    return;
  }
  const bool rendering = state.range(1) != 0;
  mc::HeadOptions options;
  options.stripe_count = static_cast<size_t>(state.range(2));
  ScrapedHead head(static_cast<int>(state.range(0)), options);
  int64_t t_ms = now_ms() - 3'600'000;
  if (!head.scrape_all(t_ms, 0)) {
    state.SkipWithError("a scrape failed");
    return;
  }
  auto exporter = start_exporter(head.storage);
  std::atomic<bool> stop{false};
  std::atomic<int64_t> renders{0};
  std::thread reader;
  if (rendering) {
    reader = std::thread([&] {
      while (!stop.load()) {
        benchmark::DoNotOptimize(
            exporter->render_metrics(mc::ExpositionFormat::prometheus_text, true));
        renders.fetch_add(1);
      }
    });
  }
  int variant = 1;
  bool failed = false;
  for (auto _ : state) {
    t_ms += 1'000;
    if (!head.scrape_all(t_ms, variant++)) failed = true;
  }
  stop.store(true);
  if (reader.joinable()) reader.join();
  if (failed) state.SkipWithError("a scrape failed");
  state.counters["ns_per_sample"] = benchmark::Counter(
      static_cast<double>(head.samples_per_round) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["renders"] = static_cast<double>(renders.load());
}
BENCHMARK(BM_ScrapeRound)
    ->ArgsProduct({{200}, {0, 1}, {16, 256, 4096}})
    ->ArgNames({"targets", "rendering", "stripes"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(5.0);

}  // namespace

BENCHMARK_MAIN();
