#include "common/store/tiering/raw_merge_plan.hpp"

#include <algorithm>
#include <map>

#include "common/util/aligned_window.hpp"

namespace mc::tiering {

std::vector<RawMergeAction> plan_raw_merges(const std::vector<BlockInfo>& raw_blocks,
                                            int64_t window_ms, int64_t settled_before) {
  std::vector<RawMergeAction> actions;
  if (window_ms <= 0) return actions;
  // Window start -> its blocks, and the windows a block crosses out of.
  std::map<int64_t, std::vector<BlockInfo>> windows;
  std::map<int64_t, bool> crossed;
  for (const BlockInfo& block : raw_blocks) {
    const int64_t start = aligned_window_start(block.min_time, window_ms);
    if (block.max_time > start + window_ms) {
      // Every window the block touches stays as it is.
      for (int64_t w = start; w < block.max_time; w += window_ms) crossed[w] = true;
      continue;
    }
    windows[start].push_back(block);
  }
  for (auto& [window_start, blocks] : windows) {
    // A copy: clang before 16 cannot capture a structured binding in a lambda.
    const int64_t start = window_start;
    const int64_t end = start + window_ms;
    if (blocks.size() < 2 || crossed.contains(start) || end > settled_before) continue;
    // A block of the whole window (merged before, or imported at that length)
    // holds its name: later blocks of the window stay beside it.
    if (std::any_of(blocks.begin(), blocks.end(), [&](const BlockInfo& block) {
          return block.min_time == start && block.max_time == end;
        })) {
      continue;
    }
    std::sort(blocks.begin(), blocks.end(), [](const BlockInfo& a, const BlockInfo& b) {
      return a.min_time != b.min_time ? a.min_time < b.min_time : a.dir < b.dir;
    });
    actions.push_back(RawMergeAction{start, end, std::move(blocks)});
  }
  return actions;
}

}  // namespace mc::tiering
