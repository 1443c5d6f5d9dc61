// downsample_memory_bench: what a downsampling round adds to the daemon's
// memory (issue 14, "memory flat"; a sidecar's memory limit must hold it).
//
// Writes BLOCKS raw blocks of 10 minutes, each with the same SERIES series of
// SAMPLES samples (a node_exporter-like label set), opens a DiskStorage on
// them whose tiers make one 5-minute block of all of them due (as the daily
// 5m downsample merges a day's twelve 2-hour raw blocks), and runs the round
// (DiskStorage::compact). Prints RssAnon and malloc's bytes in use before the
// round, the highest RssAnon seen while it ran (every 10 ms), and both after;
// the round's need is its peak above the RssAnon with the blocks written.
//
//   downsample_memory_bench [SERIES=50000] [BLOCKS=12] [SAMPLES=60]
//
// Not a Google Benchmark: it measures memory over one run, not time.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/process_rss.hpp"
#include "bench/raw_blocks_fixture.hpp"
#include "common/store/disk_storage.hpp"
#include "common/util/logger.hpp"

namespace {

namespace fs = std::filesystem;
constexpr int64_t kMinute = 60'000;

}  // namespace

int main(int argc, char** argv) {
  const auto shape = mc::bench::parse_fixture_shape(
      argc, argv, {50'000, 12, 60}, "downsample_memory_bench [SERIES] [BLOCKS] [SAMPLES<=600]");
  if (!shape) return 2;
  const int series = shape->series;
  const int blocks = shape->blocks;
  const int samples = shape->samples;
  mc::log::configure(mc::log::Level::warn, mc::log::Format::logfmt);
  const fs::path dir = mc::bench::make_bench_dir("downsample-memory");
  if (dir.empty()) return 2;
  int exit_code = 0;
  {
    const auto labels = mc::bench::node_like_labels(series);
    if (!mc::bench::write_raw_blocks(dir / "blocks", labels, blocks, samples)) return 2;
    ::malloc_trim(0);
    const double anon_written = mc::bench::rss_anon_mib();
    const int64_t span = blocks * 10 * kMinute;
    mc::DiskStorageOptions options;
    options.dir = dir;
    options.block_duration_ms = 10 * kMinute;
    options.compaction_interval = std::chrono::milliseconds(0);  // the round below only
    // Raw kept for the blocks' span; their 5-minute windows in one block.
    options.tiers = {{"raw", 0, span, 10 * kMinute}, {"5m", 5 * kMinute, 100 * span, span}};
    options.clock = [span] { return 3 * span; };
    auto storage = mc::DiskStorage::open(options);
    if (!storage) {
      std::fprintf(stderr, "%s\n", storage.error().c_str());
      return 2;
    }
    ::malloc_trim(0);
    const double anon_before = mc::bench::rss_anon_mib();
    const double in_use_before = mc::bench::malloc_in_use_mib();
    mc::bench::PeakAnonSampler sampler;
    const auto started = std::chrono::steady_clock::now();
    auto round = (*storage)->compact();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double peak = sampler.peak();
    if (!round) {
      std::fprintf(stderr, "round failed: %s\n", round.error().c_str());
      exit_code = 1;
    }
    size_t downsampled = 0;
    for (const auto& entry : fs::directory_iterator(dir / "blocks")) {
      downsampled += entry.path().filename().string().starts_with("5m-") ? 1 : 0;
    }
    // Above the blocks written (no store open): what the round needs, whether
    // or not the index cache held the sources' indexes before it.
    const double need = peak - anon_written;
    std::printf(
        "%d series x %d raw blocks of %d samples -> %zu 5m block(s) in %.1f s\n"
        "RssAnon: blocks written %.1f MiB, store open %.1f, peak during the round %.1f "
        "(+%.1f above the blocks written, %.0f B a series), after %.1f\n"
        "malloc in use: store open %.1f MiB, after the round %.1f\n",
        series, blocks, samples, downsampled, seconds, anon_written, anon_before, peak, need,
        need * 1024 * 1024 / series, mc::bench::rss_anon_mib(), in_use_before,
        mc::bench::malloc_in_use_mib());
  }
  fs::remove_all(dir);
  return exit_code;
}
