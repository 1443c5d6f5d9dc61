// Service discovery at 10,000 targets (file_sd), without the network: the
// scrape manager is not started, so a sync builds, relabels and schedules
// targets but nothing is scraped.
//
//   BM_FileSdWriteToPoolSynced  wall time from a file_sd file rewritten (one
//                               target of 10,000 changed, atomic rename) to
//                               the scrape pool synced: inotify, reading and
//                               parsing the file, the manager's 100 ms
//                               debounce, ScrapeManager::sync.
//   BM_ParseTargetFile          CPU to parse the 10,000-target JSON file.
//   BM_PoolSyncOneChanged       CPU of ScrapeManager::sync of the 10,000-target
//                               list in which one target changed.
//   BM_PoolSyncAllNew           CPU of the first sync of 10,000 targets.
//
// Run: build/bench/discovery_bench --benchmark_repetitions=5
// --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <prometheus/registry.h>

#include "collector/discovery/discovery_manager.hpp"
#include "collector/discovery/target_group_parser.hpp"
#include "collector/scrape/scrape_manager.hpp"
#include "common/config/config.hpp"
#include "common/store/head_storage.hpp"

namespace mc {
namespace {

constexpr int kTargets = 10000;

// 10,000 targets in 100 groups of 100, like a fleet's inventory; `changed`
// replaces one address, so the list differs by one target.
std::string target_file(int changed) {
  std::string out = "[";
  for (int group = 0; group < 100; ++group) {
    if (group > 0) out += ",\n";
    out += fmt::format(R"({{"labels": {{"rack": "r{}", "env": "prod"}}, "targets": [)", group);
    for (int i = 0; i < 100; ++i) {
      const int n = group * 100 + i;
      if (i > 0) out += ", ";
      out += n == 0 ? fmt::format(R"("changed-{}.example:9100")", changed)
                    : fmt::format(R"("host-{}.example:9100")", n);
    }
    out += "]}";
  }
  return out + "]\n";
}

Config file_sd_config(const std::string& path) {
  auto config = parse_config(fmt::format("scrape_configs:\n  - job_name: fleet\n"
                                         "    scrape_interval: 1h\n"
                                         "    file_sd_configs:\n      - files: [{}]\n",
                                         path),
                             "bench.yml");
  if (!config) throw std::runtime_error(config.error());
  return *config;
}

void write_atomically(const std::filesystem::path& path, const std::string& content) {
  auto temporary = path;
  temporary += ".tmp";
  std::ofstream(temporary) << content;
  std::filesystem::rename(temporary, path);
}

void BM_FileSdWriteToPoolSynced(benchmark::State& state) {
  const auto dir =
      std::filesystem::temp_directory_path() / fmt::format("discovery_bench_{}", ::getpid());
  std::filesystem::create_directories(dir);
  const auto path = dir / "targets.json";
  write_atomically(path, target_file(0));
  HeadStorage storage;
  prometheus::Registry registry;
  ScrapeManager scrapes(storage, registry);
  std::mutex mutex;
  std::condition_variable synced;
  int syncs = 0;
  DiscoveryManager discovery(registry,
                             [&](const std::string& job, std::vector<TargetGroup> groups) {
                               auto result = scrapes.sync(job, groups);
                               std::lock_guard lock(mutex);
                               ++syncs;
                               synced.notify_all();
                             });
  const Config config = file_sd_config(path.string());
  discovery.apply_config(config);
  scrapes.apply_config(
      config, [&](const ScrapeConfig& job) { return discovery.target_groups(job.job_name); });
  discovery.start();
  auto wait_for_sync = [&](int after) {
    std::unique_lock lock(mutex);
    return synced.wait_for(lock, std::chrono::seconds(10), [&] { return syncs > after; });
  };
  // The first delivery may come before the file is read (the job's static
  // part); wait for the one with the file's targets.
  for (int syncs_seen = 0; scrapes.target_count() != kTargets; ++syncs_seen) {
    if (!wait_for_sync(syncs_seen)) {
      state.SkipWithError("the first sync did not come");
      break;
    }
  }
  int round = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string content = target_file(++round);
    int before;
    {
      std::lock_guard lock(mutex);
      before = syncs;
    }
    state.ResumeTiming();
    const auto start = std::chrono::steady_clock::now();
    write_atomically(path, content);
    if (!wait_for_sync(before)) state.SkipWithError("no sync within 10 s");
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  discovery.stop();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_FileSdWriteToPoolSynced)
    ->UseManualTime()
    ->Iterations(20)
    ->Unit(benchmark::kMillisecond);

void BM_ParseTargetFile(benchmark::State& state) {
  const std::string content = target_file(1);
  for (auto _ : state) {
    auto groups = parse_target_groups(content, "targets.json", TargetGroupFormat::json);
    benchmark::DoNotOptimize(groups);
  }
  state.counters["targets"] = kTargets;
}
BENCHMARK(BM_ParseTargetFile)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);

std::vector<TargetGroup> groups_of(int changed) {
  auto groups = parse_target_groups(target_file(changed), "targets.json", TargetGroupFormat::json);
  for (size_t i = 0; i < groups->size(); ++i) {
    (*groups)[i].source = "file_sd_configs/0/targets.json:" + std::to_string(i);
  }
  return *groups;
}

void BM_PoolSyncOneChanged(benchmark::State& state) {
  HeadStorage storage;
  prometheus::Registry registry;
  ScrapeManager scrapes(storage, registry);
  const Config config = file_sd_config("/nonexistent/targets.json");
  const std::vector<TargetGroup> lists[2] = {groups_of(0), groups_of(1)};
  scrapes.apply_config(config, [&](const ScrapeConfig&) { return lists[0]; });
  int round = 0;
  for (auto _ : state) {
    auto result = scrapes.sync("fleet", lists[++round % 2]);
    if (!result || result->added != 1 || result->removed != 1) {
      state.SkipWithError("the sync did not change exactly one target");
    }
  }
}
BENCHMARK(BM_PoolSyncOneChanged)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);

void BM_PoolSyncAllNew(benchmark::State& state) {
  const Config config = file_sd_config("/nonexistent/targets.json");
  const std::vector<TargetGroup> list = groups_of(0);
  for (auto _ : state) {
    state.PauseTiming();
    auto storage = std::make_unique<HeadStorage>();
    auto registry = std::make_unique<prometheus::Registry>();
    auto scrapes = std::make_unique<ScrapeManager>(*storage, *registry);
    scrapes->apply_config(config, [](const ScrapeConfig&) { return std::vector<TargetGroup>{}; });
    state.ResumeTiming();
    auto result = scrapes->sync("fleet", list);
    if (!result || result->added != kTargets) state.SkipWithError("not 10,000 targets");
    state.PauseTiming();
    scrapes.reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_PoolSyncAllNew)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace mc

BENCHMARK_MAIN();
