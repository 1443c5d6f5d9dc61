// head_memory_bench: the head's resident memory over simulated hours (issue 14,
// "memory bounded by series, not by time").
//
// Appends SERIES series every simulated second for MINUTES minutes through
// HeadStorage (one appender commit per target of 1,000 series, as scrapes do),
// truncating the head the way the compactor does (at a 2 h boundary once the
// head spans 3 h), and prints RssAnon and RssFile from /proc/self/status at
// simulated minutes. Sealed chunks go to a chunk directory under TMPDIR when
// the head has one (it did not before the chunk files).
//
//   head_memory_bench [SERIES=200000] [MINUTES=180] [EVERY=10]
//
// Not a Google Benchmark: it measures memory over one long run, not time.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "bench/process_rss.hpp"
#include "bench/simulated_values.hpp"
#include "common/store/head_storage.hpp"
#include "common/util/malloc_thresholds.hpp"
#if __has_include("common/store/head_chunk_file.hpp")
#define MC_HEAD_HAS_CHUNK_FILES 1
#endif

namespace {}  // namespace

int main(int argc, char** argv) {
  mc::fix_malloc_thresholds();  // as the daemon does (common/util/malloc_thresholds.hpp)
  const size_t series_count = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200'000;
  const int64_t minutes = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 180;
  const int64_t every = argc > 3 ? std::strtol(argv[3], nullptr, 10) : 10;
  constexpr size_t kPerTarget = 1000;
  constexpr int64_t kBlockMs = int64_t{2} * 60 * 60 * 1000;
  const int64_t start_ms = int64_t{1'790'000'000'000} / kBlockMs * kBlockMs + 1000;

  mc::HeadOptions options;
  std::filesystem::path dir;
#ifdef MC_HEAD_HAS_CHUNK_FILES
  const char* tmp = std::getenv("TMPDIR");
  dir = std::filesystem::path(tmp != nullptr ? tmp : "/tmp") /
        ("head_memory_bench." + std::to_string(::getpid()));
  options.chunk_dir = dir / "chunks_head";
#endif
  auto head = std::make_unique<mc::HeadStorage>(options);

  std::vector<mc::Labels> labels;
  labels.reserve(series_count);
  for (size_t i = 0; i < series_count; ++i) {
    labels.push_back(mc::Labels{{"__name__", "metric_" + std::to_string(i % kPerTarget)},
                                {"instance", "10.0.0." + std::to_string(i / kPerTarget)},
                                {"job", "bench"}});
  }
  std::vector<mc::SeriesRef> refs(series_count, 0);
  const mc::bench::ProcessRss at_start = mc::bench::read_process_rss();
  std::printf("# %zu series, %lld simulated minutes at 1 s, chunk files: %s\n", series_count,
              static_cast<long long>(minutes), dir.empty() ? "none" : dir.c_str());
  std::printf("minute  rss_anon_mb  rss_file_mb  head_chunks  truncations  wall_s\n");
  std::printf("%6d  %11.1f  %11.1f  %11d  %11d  %6.1f\n", 0, at_start.anon_kb / 1024.0,
              at_start.file_kb / 1024.0, 0, 0, 0.0);
  const auto wall_start = std::chrono::steady_clock::now();
  int truncations = 0;
  int64_t head_min_time = start_ms;
  auto appender = head->appender();
  for (int64_t second = 0; second < minutes * 60; ++second) {
    const int64_t t = start_ms + second * 1000;
    for (size_t first = 0; first < series_count; first += kPerTarget) {
      const size_t end = std::min(series_count, first + kPerTarget);
      for (size_t i = first; i < end; ++i) {
        refs[i] =
            appender->append(refs[i], labels[i], t, mc::bench::simulated_value(i, second)).ref;
      }
      if (!appender->commit()) {
        std::fprintf(stderr, "commit failed\n");
        return 1;
      }
    }
    // The compactor's rule: cut [start, start + 2h) once the head spans 1.5 blocks.
    const int64_t block_start = head_min_time / kBlockMs * kBlockMs;
    if (t - block_start >= kBlockMs + kBlockMs / 2) {
      head_min_time = block_start + kBlockMs;
      head->set_min_valid_time(head_min_time);
      head->truncate(head_min_time);
      ++truncations;
    }
    if ((second + 1) % (every * 60) == 0) {
      const mc::bench::ProcessRss rss = mc::bench::read_process_rss();
      const double wall =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
      std::printf("%6lld  %11.1f  %11.1f  %11llu  %11d  %6.1f\n",
                  static_cast<long long>((second + 1) / 60), rss.anon_kb / 1024.0,
                  rss.file_kb / 1024.0, static_cast<unsigned long long>(head->stats().chunks),
                  truncations, wall);
      std::fflush(stdout);
    }
  }
  appender.reset();
  head.reset();
  if (!dir.empty()) std::filesystem::remove_all(dir);
  return 0;
}
