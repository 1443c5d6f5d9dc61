// The scrape path without the network: ScrapeLoop::process on a real
// node_exporter page (parse, series-cache lookup, append to HeadStorage,
// staleness check, report series, commit), in CPU ns per scraped sample.
//
// Values change between scrapes (16 page variants, every value scaled a
// little), so nothing is cheaper than it would be against a live target.
// Each benchmark argument is a number of targets, each with its own loop and
// series; they share one store, as in the daemon. BM_ScrapeLoopProcess uses the
// in-memory head alone; BM_ScrapeLoopProcessDisk the daemon's DiskStorage (every
// commit also goes to the WAL, fsync on its interval thread, no compactor).
//
// Run: build/bench/scrape_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// Instructions per sample, repeatable on a busy machine: every timed round
// runs in scrape_every_target(), so callgrind can count only those:
//   valgrind --tool=callgrind --toggle-collect='*scrape_every_target*'
//     build/bench/scrape_bench --benchmark_filter='ScrapeLoopProcessDisk/1/'
// and divide the instructions by the samples it prints to stderr.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bench/node_page.hpp"
#include "collector/scrape/scrape_loop.hpp"
#include "common/store/disk_storage.hpp"
#include "common/store/head_storage.hpp"

namespace {

constexpr int kVariants = 16;

// Every target scraped once: the samples scraped, or -1 and `error`.
int64_t scrape_once(std::vector<std::unique_ptr<mc::ScrapeLoop>>& loops, const std::string& body,
                    int64_t t_ms, std::string* error) {
  int64_t samples = 0;
  for (auto& loop : loops) {
    mc::ScrapeResponse response;
    response.body = body;
    response.content_type = "text/plain; version=0.0.4";
    auto report = loop->process(response, t_ms, 0.01);
    if (!report.up) {
      *error = report.error;
      return -1;
    }
    samples += static_cast<int64_t>(report.samples_scraped);
  }
  return samples;
}

// The timed rounds: not inlined, so callgrind's --toggle-collect counts them and
// not the first, series-creating scrape (see the top of the file).
[[gnu::noinline]] int64_t scrape_every_target(std::vector<std::unique_ptr<mc::ScrapeLoop>>& loops,
                                              const std::string& body, int64_t t_ms,
                                              std::string* error) {
  return scrape_once(loops, body, t_ms, error);
}

void run_scrape_rounds(benchmark::State& state, mc::Storage& storage) {
  const std::vector<std::string> variants = bench::node_page_variants(kVariants);
  if (variants.empty()) {
    state.SkipWithError("../shared/data/node_exporter-1.5.0-page.prom not found");
    return;
  }

  mc::ScrapeConfig job;
  job.job_name = "node";
  job.scrape_interval = std::chrono::seconds(15);
  job.scrape_timeout = std::chrono::seconds(10);
  std::vector<std::unique_ptr<mc::ScrapeLoop>> loops;
  const auto targets = static_cast<int>(state.range(0));
  for (int i = 0; i < targets; ++i) {
    loops.push_back(std::make_unique<mc::ScrapeLoop>(
        mc::ScrapeTarget(job, "10.0.0." + std::to_string(i) + ":9100", {}), job, storage));
  }

  int64_t t_ms = 1'700'000'000'000;
  std::string error;
  // The first scrape creates every series; that cost is not the steady state
  // being measured here, so it happens before the clock starts.
  if (scrape_once(loops, variants[0], t_ms, &error) < 0) {
    state.SkipWithError(error.c_str());
    return;
  }
  int64_t samples = 0;
  int scrape = 1;
  for (auto _ : state) {
    t_ms += 15'000;
    const int64_t scraped = scrape_every_target(loops, variants[scrape % kVariants], t_ms, &error);
    if (scraped < 0) {
      state.SkipWithError(error.c_str());
      return;
    }
    samples += scraped;
    ++scrape;
  }
  std::fprintf(stderr, "%d targets: %lld samples in timed rounds\n", targets,
               static_cast<long long>(samples));
  state.SetItemsProcessed(samples);
  state.counters["ns_per_sample"] = benchmark::Counter(
      static_cast<double>(samples), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["series"] = static_cast<double>(storage.stats().series);
}

void BM_ScrapeLoopProcess(benchmark::State& state) {
  mc::HeadStorage storage;
  run_scrape_rounds(state, storage);
}
BENCHMARK(BM_ScrapeLoopProcess)->Arg(1)->Arg(50)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_ScrapeLoopProcessDisk(benchmark::State& state) {
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("scrape_bench-" + std::to_string(::getpid()) + "-" + std::to_string(state.range(0)));
  std::filesystem::remove_all(dir);
  {
    mc::DiskStorageOptions options;
    options.dir = dir;
    options.compaction_interval = std::chrono::milliseconds(0);  // blocks are not measured here
    auto storage = mc::DiskStorage::open(std::move(options));
    if (!storage.is_ok()) {
      state.SkipWithError(storage.status().message().c_str());
      return;
    }
    run_scrape_rounds(state, **storage);
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ScrapeLoopProcessDisk)->Arg(1)->Arg(50)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
