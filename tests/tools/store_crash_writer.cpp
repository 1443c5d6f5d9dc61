// store_crash_writer DIR SERIES: appends batches to a DiskStorage at DIR for
// the crash-safety test, which kills it with SIGKILL at random moments.
//
// Batch b holds one sample per series i, at t = b * 1000 ms, value b * 1000 + i.
// The writer resumes after the newest batch the store holds (it replays the
// WAL like the daemon), so a run continues the previous one. Each time the WAL
// reports a batch durable (fsynced), it prints "durable <b>" on stdout with
// one write(2), which the test reads after the kill: every batch up to the
// last one printed must be in the store.
//
// Small blocks (20 s of sample time) and a compactor running every 20 ms make
// the kills land in block cuts, WAL checkpoints and head truncation too.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/store/disk_storage.hpp"

namespace {

void say(const std::string& line) {
  const std::string text = line + "\n";
  [[maybe_unused]] auto written = ::write(STDOUT_FILENO, text.data(), text.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: store_crash_writer DIR SERIES\n");
    return 2;
  }
  const int series_count = std::atoi(argv[2]);
  mc::DiskStorageOptions options;
  options.dir = argv[1];
  options.block_duration_ms = 20'000;
  options.compaction_interval = std::chrono::milliseconds(20);
  options.wal.fsync_policy = mc::FsyncPolicy::interval;
  options.wal.fsync_interval = std::chrono::milliseconds(20);
  options.wal.segment_bytes = 256 << 10;  // many segments, so checkpoints have work
  auto opened = mc::DiskStorage::open(options);
  if (!opened) {
    std::fprintf(stderr, "open: %s\n", opened.error().c_str());
    return 1;
  }
  auto& storage = **opened;

  std::vector<mc::Labels> labels;
  for (int i = 0; i < series_count; ++i) {
    labels.push_back(
        mc::Labels{{"__name__", "crash_test"}, {"series", std::to_string(i)}, {"job", "crash"}});
  }
  // Resume after the newest batch of series 0.
  int64_t batch = 0;
  storage.latest_samples().for_each_latest(0, std::numeric_limits<int64_t>::max(),
                                           [&](const mc::LatestSample& latest) {
                                             if (latest.labels == labels[0])
                                               batch = latest.sample.t_ms / 1000 + 1;
                                           });
  say("start " + std::to_string(batch));

  std::vector<mc::SeriesRef> refs(series_count, 0);
  std::vector<std::pair<uint64_t, int64_t>> pending;  // commit sequence -> batch
  int64_t last_durable = -1;
  auto appender = storage.appender();
  for (;; ++batch) {
    for (int i = 0; i < series_count; ++i) {
      auto result =
          appender->append(refs[i], labels[i], batch * 1000, static_cast<double>(batch * 1000 + i));
      if (result.error != mc::AppendError::none) {
        std::fprintf(stderr, "append rejected at batch %ld\n", static_cast<long>(batch));
        return 1;
      }
      refs[i] = result.ref;
    }
    if (mc::Status status = appender->commit(); !status) {
      std::fprintf(stderr, "commit: %s\n", status.message().c_str());
      return 1;
    }
    pending.emplace_back(storage.committed_sequence(), batch);
    const uint64_t durable = storage.durable_sequence();
    size_t done = 0;
    while (done < pending.size() && pending[done].first <= durable) {
      last_durable = pending[done].second;
      ++done;
    }
    if (done > 0) {
      pending.erase(pending.begin(), pending.begin() + static_cast<long>(done));
      say("durable " + std::to_string(last_durable));
    }
    ::usleep(500);
  }
}
