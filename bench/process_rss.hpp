// The calling process's resident memory as /proc/self/status splits it:
// RssAnon (heap and other private memory, what a memory limit is about) and
// RssFile (file pages such as the mapped head chunks, which the kernel can
// reclaim), malloc's bytes in use, and a sampler of the highest RssAnon.
// Shared by the memory benches.
#pragma once

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

namespace mc::bench {

struct ProcessRss {
  long anon_kb = 0;
  long file_kb = 0;
};

inline ProcessRss read_process_rss() {
  ProcessRss rss;
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  std::string unit;
  while (status >> key) {
    if (key == "RssAnon:") {
      status >> value >> unit;
      rss.anon_kb = value;
    } else if (key == "RssFile:") {
      status >> value >> unit;
      rss.file_kb = value;
    }
  }
  return rss;
}

inline double rss_anon_mib() { return static_cast<double>(read_process_rss().anon_kb) / 1024.0; }

// What glibc has handed out (in use, mmapped blocks included), in MiB.
inline double malloc_in_use_mib() {
  const struct mallinfo2 info = ::mallinfo2();
  return static_cast<double>(info.uordblks + info.hblkhd) / (1024.0 * 1024.0);
}

// The highest RssAnon seen, every 10 ms, while it lives (and at peak()):
// for a bench's one round of work between its start and peak().
class PeakAnonSampler {
 public:
  PeakAnonSampler() : peak_(rss_anon_mib()), thread_([this] { run(); }) {}
  ~PeakAnonSampler() { stop(); }
  PeakAnonSampler(const PeakAnonSampler&) = delete;
  PeakAnonSampler& operator=(const PeakAnonSampler&) = delete;

  // Stops sampling; the highest RssAnon seen, in MiB.
  double peak() {
    stop();
    return std::max(peak_.load(), rss_anon_mib());
  }

 private:
  void run() {
    while (!done_) {
      const double now = rss_anon_mib();
      if (now > peak_) peak_ = now;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  void stop() {
    done_ = true;
    if (thread_.joinable()) thread_.join();
  }

  std::atomic<double> peak_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace mc::bench
