// Which raw blocks to merge into longer ones. The head is cut into blocks of
// `storage.block_duration` (2h), so a week of raw data is 84 blocks, and a
// query over the week selects, reads and merges 84 blocks a series: a store
// of 24-hour raw blocks answered the query bench's 7-day queries in 11-15%
// less time (bench/query/README.md, "Raw blocks merged"). As Prometheus
// compacts its 2-hour blocks, the raw blocks of each aligned window of
// `window_ms` (the 5-minute tier's block length, 24h by default) become one
// block once no more can come for that window. Pure logic, no I/O.
//
// A window is merged when
//   - it holds at least two raw blocks, all inside it (a block crossing its
//     edges, from a change of block_duration, keeps its window unmerged), and
//   - no more raw blocks can be cut for it: its end is at or before
//     `settled_before` (the head's oldest valid time: older samples are
//     refused, so no block is cut before it), and
//   - none of its blocks covers the whole window already (a merged block, or
//     one imported at that length): the merged block would need its name,
//     so a block added to such a window later stays beside it.
//
// Thread-safety: a free function without shared state.
#pragma once

#include <cstdint>
#include <vector>

#include "common/store/tiering/retention_plan.hpp"

namespace mc::tiering {

struct RawMergeAction {
  int64_t min_time = 0;  // the window, [min_time, max_time): the new block's range
  int64_t max_time = 0;
  std::vector<BlockInfo> sources;  // by min_time
};

// `raw_blocks` are the raw tier's blocks (any order). Windows in time order.
// No actions when `window_ms` <= 0.
std::vector<RawMergeAction> plan_raw_merges(const std::vector<BlockInfo>& raw_blocks,
                                            int64_t window_ms, int64_t settled_before);

}  // namespace mc::tiering
