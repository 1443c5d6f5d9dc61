// block_read_memory_bench: what reading every block once leaves in the
// daemon's memory (issue 14, "memory bounded by series, not by time"). A
// Grafana panel over a week reads every raw block of the week; whatever a
// block keeps after that read stays for as long as the block is kept.
//
// Writes BLOCKS raw blocks of 10 minutes, each with the same SERIES series of
// SAMPLES samples of noisy values (bench/raw_blocks_fixture.hpp), opens a DiskStorage on them,
// reads every sample of every series through one querier over all the blocks
// (as a query selecting everything would), drops the querier and prints
// RssAnon and malloc's bytes in use with the blocks written (no store open),
// with the store open (which checks every block), at the highest while
// reading (RssAnon, every 10 ms) and after, with what the caches kept.
//
//   block_read_memory_bench [SERIES=50000] [BLOCKS=12] [SAMPLES=120]
//
// KEEP=1 in the environment leaves the blocks in /tmp and prints where.
//
// Not a Google Benchmark: it measures memory over one run, not time.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "bench/process_rss.hpp"
#include "bench/raw_blocks_fixture.hpp"
#include "common/store/disk_storage.hpp"
#include "common/util/logger.hpp"

namespace {

namespace fs = std::filesystem;

// Every sample of every series in [0, span); the count, or -1 on an error.
long long read_everything(mc::Storage& storage, int64_t span) {
  auto querier = storage.querier(0, span - 1);
  auto job = mc::Matcher::make(mc::Matcher::Kind::equal, "job", "node");
  if (!job) return -1;
  long long samples = 0;
  std::vector<mc::Sample> window;
  for (const auto& series : querier->select({*job})) {
    auto it = series->iterator();
    if (it->next()) {
      window.clear();
      it->read_until(span, window);
      samples += static_cast<long long>(window.size());
    }
    if (!it->status()) {
      std::fprintf(stderr, "%s\n", it->status().message().c_str());
      return -1;
    }
  }
  return samples;
}

}  // namespace

int main(int argc, char** argv) {
  const auto shape = mc::bench::parse_fixture_shape(
      argc, argv, {50'000, 12, 120}, "block_read_memory_bench [SERIES] [BLOCKS] [SAMPLES<=600]");
  if (!shape) return 2;
  const int series = shape->series;
  const int blocks = shape->blocks;
  const int samples = shape->samples;
  mc::log::configure(mc::log::Level::warn, mc::log::Format::logfmt);
  const fs::path dir = mc::bench::make_bench_dir("block-read-memory");
  if (dir.empty()) return 2;
  int exit_code = 0;
  {
    const auto labels = mc::bench::node_like_labels(series);
    if (!mc::bench::write_raw_blocks(dir / "blocks", labels, blocks, samples, true)) return 2;
    ::malloc_trim(0);
    const double anon_written = mc::bench::rss_anon_mib();
    const double in_use_written = mc::bench::malloc_in_use_mib();
    const int64_t span = blocks * mc::bench::kFixtureBlockMs;
    mc::DiskStorageOptions options;
    options.dir = dir;
    options.block_duration_ms = mc::bench::kFixtureBlockMs;
    options.compaction_interval = std::chrono::milliseconds(0);
    options.tiers = {{"raw", 0, 100 * span, mc::bench::kFixtureBlockMs}};
    options.clock = [span] { return span; };
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
    const long long read = read_everything(**storage, span);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double peak = sampler.peak();
    if (read < 0) exit_code = 1;
    const double after = mc::bench::rss_anon_mib();
    ::malloc_trim(0);
    const double trimmed = mc::bench::rss_anon_mib();
    const double in_use_after = mc::bench::malloc_in_use_mib();
    std::printf(
        "%d series x %d raw blocks of %d samples: read %lld samples in %.1f s\n"
        "RssAnon: blocks written %.1f MiB, store open %.1f, peak while reading %.1f, after "
        "%.1f, after malloc_trim %.1f\n"
        "malloc in use: blocks written %.1f MiB, store open %.1f (+%.1f), after the read %.1f "
        "(+%.1f over the blocks written, %.0f B a series)\n",
        series, blocks, samples, read, seconds, anon_written, anon_before, peak, after, trimmed,
        in_use_written, in_use_before, in_use_before - in_use_written, in_use_after,
        in_use_after - in_use_written, (in_use_after - in_use_written) * 1024 * 1024 / series);
  }
  if (!std::getenv("KEEP"))
    fs::remove_all(dir);
  else
    std::printf("kept %s\n", dir.c_str());
  return exit_code;
}
