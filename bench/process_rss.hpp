// The calling process's resident memory as /proc/self/status splits it:
// RssAnon (heap and other private memory, what a memory limit is about) and
// RssFile (file pages such as the mapped head chunks, which the kernel can
// reclaim). Shared by the head memory benches.
#pragma once

#include <fstream>
#include <string>

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

}  // namespace mc::bench
