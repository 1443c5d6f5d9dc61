// head_memory_cuts_bench: the daemon's memory across block cuts (issue 14,
// "memory flat from minute 10 to minute 180 with block cuts inside").
//
// Drives a real DiskStorage (head, WAL, chunk files, compactor, blocks on
// disk) with a simulated clock: SERIES series appended every simulated second
// in commits of 1,000 (one target's scrape) from the main thread, and the
// compactor's round (DiskStorage::compact) run every simulated minute on a
// thread of its own, as the daemon's compactor thread does, so the cut
// allocates in that thread's malloc arena. Blocks are BLOCK_MINUTES long; a
// block is cut once the head spans one and a half of them.
//
// Prints one row per simulated minute, and one before and after each round
// that cut a block: RssAnon and RssFile (/proc/self/status) and glibc's
// mallinfo2(): bytes in use (uordblks + hblkhd) against bytes free but kept by
// the allocator (fordblks), which tells a retained structure from memory the
// allocator holds. A "peak" row after each cut gives the highest RssAnon
// seen (every 20 ms) while the round ran, the rest of that row as it was
// then, the seconds into the round, and the most bytes in use seen; the last lines, what one open
// block keeps in use with its parsed index in the index cache and without
// (evicted), and the parsed index's parts.
//
//   head_memory_cuts_bench [SERIES=200000] [MINUTES=30] [BLOCK_MINUTES=5]
//                          [INDEX_CACHE_MIB=64]
//   head_memory_cuts_bench --block DIR   (only the last lines, for a block
//                                         already on disk, e.g. the soak's)
//
// The daemon's fixed malloc thresholds apply (malloc_thresholds.hpp);
// GLIBC_TUNABLES cannot undo them. LOG_LEVEL=debug shows the store's debug lines too (how long the
// compactor took to hand its free memory back). STAGGER=0 seals every series' chunks in step, as
// before HeadChunkLimits::staggered.
//
// Not a Google Benchmark: it measures memory over one long run, not time.
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/process_rss.hpp"
#include "bench/simulated_values.hpp"
#include "common/store/block/block_index.hpp"
#include "common/store/block/block_index_cache.hpp"
#include "common/store/block/block_reader.hpp"
#include "common/store/disk_storage.hpp"
#include "common/util/logger.hpp"
#include "common/util/malloc_thresholds.hpp"
#include "common/util/read_file.hpp"

namespace {

struct Memory {
  double anon_mb = 0;
  double file_mb = 0;
  double in_use_mb = 0;     // mallinfo2: uordblks + hblkhd
  double free_held_mb = 0;  // mallinfo2: fordblks
};

Memory read_memory() {
  Memory memory;
  const mc::bench::ProcessRss rss = mc::bench::read_process_rss();
  memory.anon_mb = static_cast<double>(rss.anon_kb) / 1024.0;
  memory.file_mb = static_cast<double>(rss.file_kb) / 1024.0;
  const struct mallinfo2 info = ::mallinfo2();
  memory.in_use_mb = static_cast<double>(info.uordblks + info.hblkhd) / (1024.0 * 1024.0);
  memory.free_held_mb = static_cast<double>(info.fordblks) / (1024.0 * 1024.0);
  return memory;
}

// One long-lived thread that runs what it is handed and waits for nothing
// else, so every round allocates in the same malloc arena, as the daemon's
// compactor thread does.
class WorkerThread {
 public:
  WorkerThread() : thread_([this] { loop(); }) {}
  ~WorkerThread() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  // Runs `work` on the thread; meanwhile calls `poll` every 20 ms.
  void run(std::function<void()> work, const std::function<void()>& poll) {
    std::unique_lock lock(mutex_);
    work_ = std::move(work);
    wake_.notify_all();
    while (!wake_.wait_for(lock, std::chrono::milliseconds(20), [&] { return !work_; })) {
      lock.unlock();
      poll();
      lock.lock();
    }
  }

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stopping_ || work_; });
      if (!work_) return;
      // Unlocked while it runs, so that run() can poll meanwhile.
      const std::function<void()> work = work_;
      lock.unlock();
      work();
      lock.lock();
      work_ = nullptr;
      wake_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::function<void()> work_;
  bool stopping_ = false;
  std::thread thread_;
};

void print_row(const char* what, double minute, const Memory& m, size_t blocks, double seconds) {
  std::printf("%-7s %7.2f  %9.1f  %9.1f  %9.1f  %9.1f  %6zu  %7.2f\n", what, minute, m.anon_mb,
              m.file_mb, m.in_use_mb, m.free_held_mb, blocks, seconds);
  std::fflush(stdout);
}

constexpr double kMiB = 1024.0 * 1024.0;

// What an open block costs: the in-use bytes a reader of `block_dir` adds
// while its index is in the (private) index cache, and once another reader's
// index evicted it; then the parsed index's parts, as the cache counts them.
int measure_open_block(const std::string& block_dir) {
  mc::block::BlockIndexCache cache(0);  // keeps only the newest index
  const Memory before = read_memory();
  auto reader = mc::block::BlockReader::open(block_dir, nullptr, &cache);
  if (!reader) {
    std::fprintf(stderr, "%s\n", reader.status().message().c_str());
    return 1;
  }
  // Opening keeps no index; the first read puts it in the cache.
  if (!(*reader)->pin_index()) return 1;
  const Memory cached = read_memory();
  double parse_ms = 0;
  {
    // A second reader of the same block: its index evicts the first's, and
    // closing it frees its own.
    const auto start = std::chrono::steady_clock::now();
    auto other = mc::block::BlockReader::open(block_dir, nullptr, &cache);
    parse_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!other || !(*other)->pin_index()) return 1;
  }
  const Memory evicted = read_memory();
  // What a query pays for a block whose index was evicted: parsing it again.
  double reparse_ms = 0;
  {
    const auto start = std::chrono::steady_clock::now();
    const auto pin = (*reader)->pin_index();
    reparse_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!pin) return 1;
  }
  const double series = (*reader)->num_series();
  auto per_series = [&](double mb) { return mb * kMiB / series; };
  std::printf(
      "# an open block of %.0f series holds %.1f MiB in use (%.0f B a series) with its "
      "index cached, %.2f MiB (%.1f B a series) with it evicted\n",
      series, cached.in_use_mb - before.in_use_mb, per_series(cached.in_use_mb - before.in_use_mb),
      evicted.in_use_mb - before.in_use_mb, per_series(evicted.in_use_mb - before.in_use_mb));
  std::printf(
      "# opening a second reader and reading it (open parses the index to check it, the "
      "read parses it into the cache) took %.1f ms; "
      "parsing the evicted index again for a query %.1f ms\n",
      parse_ms, reparse_ms);
  auto file = mc::read_file(block_dir + "/index");
  if (!file) return 1;
  auto index = mc::block::BlockIndex::parse(
      std::span(reinterpret_cast<const uint8_t*>(file->data()), file->size()), block_dir);
  if (!index || !index->locate_columns((*reader)->meta().columns.size())) return 1;
  const auto parts = index->heap_bytes();
  std::printf(
      "# its parsed index: %.1f MiB (%zu index file bytes); B a series: symbols %.1f, "
      "labels %.1f, chunk entries %.1f (%zu chunks), postings %.1f, columns %.1f, "
      "metadata %.1f\n",
      static_cast<double>(parts.total()) / kMiB, file->size(), parts.symbols / series,
      parts.labels / series, parts.chunks / series, index->num_chunks(), parts.postings / series,
      parts.columns / series, parts.metadata / series);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  mc::fix_malloc_thresholds();  // as the daemon does (common/util/malloc_thresholds.hpp)
  if (argc == 3 && std::string(argv[1]) == "--block") return measure_open_block(argv[2]);
  const size_t series_count = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200'000;
  const int64_t minutes = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 30;
  const int64_t block_minutes = argc > 3 ? std::strtol(argv[3], nullptr, 10) : 5;
  if (argc > 4) {
    mc::block::BlockIndexCache::process().set_budget(std::strtoul(argv[4], nullptr, 10) << 20);
  }
  constexpr size_t kPerTarget = 1000;
  const int64_t block_ms = block_minutes * 60'000;
  if (const char* level = std::getenv("LOG_LEVEL"); level != nullptr) {
    auto parsed = mc::log::parse_level(level);
    if (!parsed) {
      std::fprintf(stderr, "LOG_LEVEL: %s\n", parsed.error().c_str());
      return 2;
    }
    mc::log::configure(*parsed, mc::log::Format::logfmt);
  }
  // Start just after a block boundary, as a daemon started at a random time
  // would be somewhere inside one.
  const int64_t start_ms = int64_t{1'790'000'000'000} / block_ms * block_ms + 1000;
  int64_t now_ms = start_ms;

  const char* tmp = std::getenv("TMPDIR");
  const std::filesystem::path dir = std::filesystem::path(tmp != nullptr ? tmp : "/tmp") /
                                    ("head_memory_cuts_bench." + std::to_string(::getpid()));
  mc::DiskStorageOptions options;
  options.dir = dir;
  options.block_duration_ms = block_ms;
  options.compaction_interval = std::chrono::milliseconds(0);  // rounds run below
  options.wal.fsync_policy = mc::FsyncPolicy::never;           // the disk is not measured
  options.clock = [&now_ms] { return now_ms; };
  // STAGGER=0: every series seals its chunks at 120 samples, all in the same
  // second (the A/B of HeadChunkLimits::staggered).
  const char* stagger = std::getenv("STAGGER");
  options.head.stagger_chunk_seals = stagger == nullptr || std::string(stagger) != "0";
  auto opened = mc::DiskStorage::open(options);
  if (!opened) {
    std::fprintf(stderr, "cannot open %s: %s\n", dir.c_str(), opened.status().message().c_str());
    return 1;
  }
  std::unique_ptr<mc::DiskStorage> storage = std::move(*opened);

  // Labels shaped like a node exporter page's: a name, the target's
  // instance and job, and for most series one or two more labels.
  std::vector<mc::Labels> labels;
  labels.reserve(series_count);
  for (size_t i = 0; i < series_count; ++i) {
    const size_t in_target = i % kPerTarget;
    std::vector<mc::Label> pairs{
        {"__name__", "node_metric_family_" + std::to_string(in_target / 8)},
        {"instance", "127.0.0.1:" + std::to_string(22000 + i / kPerTarget)},
        {"job", "farm"}};
    if (in_target % 8 != 0) pairs.push_back({"device", "dev" + std::to_string(in_target % 8)});
    if (in_target % 3 == 0) pairs.push_back({"mode", in_target % 2 == 0 ? "user" : "system"});
    labels.emplace_back(std::move(pairs));
  }
  std::vector<mc::SeriesRef> refs(series_count, 0);

  std::printf("# %zu series at 1 s, %lld simulated minutes, blocks of %lld minutes, store %s\n",
              series_count, static_cast<long long>(minutes), static_cast<long long>(block_minutes),
              dir.c_str());
  std::printf("%-7s %7s  %9s  %9s  %9s  %9s  %6s  %7s\n", "row", "minute", "anon_mb", "file_mb",
              "in_use_mb", "free_mb", "blocks", "seconds");
  print_row("start", 0, read_memory(), 0, 0);

  WorkerThread compactor;
  auto appender = storage->appender();
  const auto wall_start = std::chrono::steady_clock::now();
  for (int64_t second = 0; second < minutes * 60; ++second) {
    now_ms = start_ms + second * 1000;
    for (size_t first = 0; first < series_count; first += kPerTarget) {
      const size_t end = std::min(series_count, first + kPerTarget);
      for (size_t i = first; i < end; ++i) {
        refs[i] =
            appender->append(refs[i], labels[i], now_ms, mc::bench::simulated_value(i, second)).ref;
      }
      if (!appender->commit()) {
        std::fprintf(stderr, "commit failed at second %lld\n", static_cast<long long>(second));
        return 1;
      }
    }
    if ((second + 1) % 60 != 0) continue;
    const double minute = static_cast<double>(second + 1) / 60.0;
    const size_t blocks_before =
        storage->stats().disk->tiers.empty() ? 0 : storage->stats().disk->tiers.front().blocks;
    const Memory before = read_memory();
    const auto round_start = std::chrono::steady_clock::now();
    mc::Result<size_t> round = mc::Status::error("not run");
    // The round's peak, as /proc sees it every 20 ms, with glibc's bytes in
    // use then (live data, against free pages the allocator keeps) and when
    // in the round it came; and the most bytes in use seen.
    Memory peak = before;
    double peak_seconds = 0;
    double peak_in_use_mb = before.in_use_mb;
    compactor.run(
        [&] { round = storage->compact(); },
        [&] {
          const Memory now = read_memory();
          peak_in_use_mb = std::max(peak_in_use_mb, now.in_use_mb);
          if (now.anon_mb <= peak.anon_mb) return;
          peak = now;
          peak_seconds =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - round_start).count();
        });
    const double round_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - round_start).count();
    if (!round) {
      std::fprintf(stderr, "compaction failed: %s\n", round.status().message().c_str());
      return 1;
    }
    const auto disk = storage->stats().disk;
    const size_t blocks = disk->tiers.empty() ? 0 : disk->tiers.front().blocks;
    if (blocks != blocks_before) {
      print_row("precut", minute, before, blocks_before, round_seconds);
      print_row("cut", minute, read_memory(), blocks, round_seconds);
      std::printf("peak    %7.2f  %9.1f  %9.1f  %9.1f  %9.1f          %7.2f  (most in use %.1f)\n",
                  minute, peak.anon_mb, peak.file_mb, peak.in_use_mb, peak.free_held_mb,
                  peak_seconds, peak_in_use_mb);
    }
    print_row("minute", minute, read_memory(), blocks,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count());
  }
  {
    std::filesystem::path newest;
    for (const auto& entry : std::filesystem::directory_iterator(dir / "blocks")) {
      if (entry.path().filename().string() > newest.filename().string()) newest = entry.path();
    }
    const auto cache = mc::block::BlockIndexCache::process().stats();
    std::printf(
        "# the store's index cache: %.1f MiB in %zu indexes, budget %.0f MiB, %llu parses\n",
        static_cast<double>(cache.bytes) / kMiB, cache.entries,
        static_cast<double>(cache.budget_bytes) / kMiB,
        static_cast<unsigned long long>(cache.parses));
    if (!newest.empty() && measure_open_block(newest.string()) != 0) return 1;
  }
  appender.reset();
  storage.reset();
  std::filesystem::remove_all(dir);
  return 0;
}
