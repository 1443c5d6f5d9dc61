// head_truncate_stall_bench: how long scrapes' commits wait while the head is
// truncated after a block cut (issue 14: "0 missed scrapes" through cuts).
//
// Fills a HeadStorage (chunks in files, as the daemon's) with SERIES series
// over MINUTES simulated minutes at one sample a second, in commits of 1,000
// series (one target's scrape). Then one thread keeps committing the next
// seconds' samples, a target at a time, timing each commit, while the main
// thread truncates the first half of the span, as the compactor does after
// cutting a block. Prints the truncation's duration and, for the commits made
// meanwhile, their count, median, 99th percentile and maximum.
//
//   head_truncate_stall_bench [SERIES=100000] [MINUTES=20]
//
// Not a Google Benchmark: it measures one truncation's effect on another
// thread, not a loop.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "common/model/labels.hpp"
#include "common/store/head_storage.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
constexpr int kSeriesPerCommit = 1000;

double value_of(size_t series, int64_t t) {
  return static_cast<double>((series * 7 + static_cast<size_t>(t) * 13) % 1009);
}

// One commit of `first`..`first + count` series' samples at `t_ms`; refs are
// kept between rounds as a scrape cache keeps them.
void commit_target(mc::HeadStorage& head, const std::vector<mc::Labels>& labels,
                   std::vector<mc::SeriesRef>& refs, size_t first, size_t count, int64_t t_ms) {
  auto appender = head.appender();
  for (size_t s = first; s < first + count; ++s) {
    refs[s] = appender->append(refs[s], labels[s], t_ms, value_of(s, t_ms / 1000)).ref;
  }
  if (!appender->commit()) std::fprintf(stderr, "commit failed\n");
}

}  // namespace

int main(int argc, char** argv) {
  const int series = argc > 1 ? std::atoi(argv[1]) : 100'000;
  const int minutes = argc > 2 ? std::atoi(argv[2]) : 20;
  if (series < kSeriesPerCommit || minutes < 2) {
    std::fprintf(stderr, "usage: head_truncate_stall_bench [SERIES>=1000] [MINUTES>=2]\n");
    return 2;
  }
  char pattern[] = "/tmp/truncate-stall-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) return 2;
  const fs::path dir(pattern);
  {
    mc::HeadOptions options;
    options.chunk_dir = dir / "chunks_head";
    mc::HeadStorage head(options);
    std::vector<mc::Labels> labels;
    labels.reserve(static_cast<size_t>(series));
    for (int s = 0; s < series; ++s) {
      labels.push_back(mc::Labels{{"__name__", "metric_" + std::to_string(s % 500)},
                                  {"instance", "host-" + std::to_string(s / 500) + ":9100"},
                                  {"job", "node"}});
    }
    std::vector<mc::SeriesRef> refs(labels.size(), 0);
    const int64_t seconds = int64_t{minutes} * 60;
    for (int64_t t = 0; t < seconds; ++t) {
      for (size_t first = 0; first < labels.size(); first += kSeriesPerCommit) {
        commit_target(head, labels, refs, first, kSeriesPerCommit, t * 1000);
      }
    }

    // Commits go on, a target at a time, while the first half is truncated.
    std::atomic<bool> truncating{false};
    std::atomic<bool> stop{false};
    std::vector<double> waits_us;
    std::thread committer([&] {
      int64_t t = seconds;
      while (!stop.load()) {
        for (size_t first = 0; first < labels.size() && !stop.load(); first += kSeriesPerCommit) {
          const auto started = Clock::now();
          commit_target(head, labels, refs, first, kSeriesPerCommit, t * 1000);
          const double us =
              std::chrono::duration<double, std::micro>(Clock::now() - started).count();
          if (truncating.load()) waits_us.push_back(us);
        }
        ++t;
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    truncating = true;
    const auto started = Clock::now();
    head.truncate(seconds / 2 * 1000);
    const double truncate_ms =
        std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    truncating = false;
    stop = true;
    committer.join();
    std::sort(waits_us.begin(), waits_us.end());
    auto at = [&](double q) {
      return waits_us.empty() ? 0.0 : waits_us[static_cast<size_t>(q * (waits_us.size() - 1))];
    };
    std::printf(
        "%d series x %d minutes: truncate of the first half %.1f ms; %zu commits of %d series "
        "meanwhile: median %.0f us, p99 %.0f us, max %.0f us\n",
        series, minutes, truncate_ms, waits_us.size(), kSeriesPerCommit, at(0.5), at(0.99),
        waits_us.empty() ? 0.0 : waits_us.back());
  }
  fs::remove_all(dir);
  return 0;
}
