// raw_merge_bench: what merging a window of raw blocks into one costs (the
// compactor's daily round, raw_block_merge.hpp): time, samples a second, and
// the highest RssAnon above the blocks written.
//
// Writes BLOCKS raw blocks of 10 minutes, each with the same SERIES series of
// SAMPLES noisy values (bench/raw_blocks_fixture.hpp), opens a DiskStorage
// whose merge window is the BLOCKS blocks' span and runs the round.
//
//   raw_merge_bench [SERIES=50000] [BLOCKS=12] [SAMPLES=120]
//
// Not a Google Benchmark: one round, measured once.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "bench/process_rss.hpp"
#include "bench/raw_blocks_fixture.hpp"
#include "common/store/disk_storage.hpp"
#include "common/util/logger.hpp"

namespace {

namespace fs = std::filesystem;

size_t count_blocks(const fs::path& blocks) {
  size_t n = 0;
  for (const auto& entry : fs::directory_iterator(blocks)) n += entry.is_directory() ? 1 : 0;
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  const auto shape = mc::bench::parse_fixture_shape(
      argc, argv, {50'000, 12, 120}, "raw_merge_bench [SERIES] [BLOCKS>=2] [SAMPLES<=600]", 2);
  if (!shape) return 2;
  const int series = shape->series;
  const int blocks = shape->blocks;
  const int samples = shape->samples;
  mc::log::configure(mc::log::Level::warn, mc::log::Format::logfmt);
  const fs::path dir = mc::bench::make_bench_dir("raw-merge");
  if (dir.empty()) return 2;
  int exit_code = 0;
  {
    const auto labels = mc::bench::node_like_labels(series);
    if (!mc::bench::write_raw_blocks(dir / "blocks", labels, blocks, samples, true)) return 2;
    ::malloc_trim(0);
    const double anon_written = mc::bench::rss_anon_mib();
    const int64_t span = blocks * mc::bench::kFixtureBlockMs;
    mc::DiskStorageOptions options;
    options.dir = dir;
    options.block_duration_ms = mc::bench::kFixtureBlockMs;
    options.raw_merge_window_ms = span;
    options.compaction_interval = std::chrono::milliseconds(0);
    options.clock = [span] { return span; };
    auto storage = mc::DiskStorage::open(options);
    if (!storage) {
      std::fprintf(stderr, "%s\n", storage.error().c_str());
      return 2;
    }
    ::malloc_trim(0);
    mc::bench::PeakAnonSampler sampler;
    const auto started = std::chrono::steady_clock::now();
    auto round = (*storage)->compact();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double peak = sampler.peak();
    if (!round || count_blocks(dir / "blocks") != 1) {
      std::fprintf(stderr, "the round did not leave one block\n");
      exit_code = 1;
    }
    const double merged_samples = static_cast<double>(series) * blocks * samples;
    std::printf(
        "%d series x %d raw blocks of %d samples -> %zu block(s) in %.2f s (%.1f M samples/s)\n"
        "RssAnon: blocks written %.1f MiB, peak during the round %.1f (+%.1f, %.0f B a series)\n",
        series, blocks, samples, count_blocks(dir / "blocks"), seconds,
        merged_samples / seconds / 1e6, anon_written, peak, peak - anon_written,
        (peak - anon_written) * 1024 * 1024 / series);
  }
  fs::remove_all(dir);
  return exit_code;
}
