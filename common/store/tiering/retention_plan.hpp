// Retention and downsampling planning for the block store: given the blocks on
// disk, the tiers of the config (raw, then coarser resolutions, each with its
// retention and block length) and the time, which blocks to delete and which
// downsampled blocks to make. Pure logic, no I/O: the compaction thread lists
// its blocks, calls plan(), and carries the actions out.
//
// Blocks of a tier cover aligned windows [k * block_duration, (k+1) *
// block_duration); a block's max_time is exclusive, as in Prometheus's
// meta.json. The rules:
//
//   drop        a block whose whole range is older than its tier's retention
//               (max_time <= now - retention), unless the next tier still
//               needs it: a window of the next tier that overlaps the block,
//               is not made yet, and would itself still be kept
//               (window end > now - next tier's retention). So a source block
//               is never deleted before the coarser block holding its data
//               exists, when that block would outlive it.
//   downsample  the blocks of tier N overlapping a window [a, b) of tier N+1
//               become one block of tier N+1 with range [a, b), once
//                 - no block of tier N+1 overlaps [a, b) yet (done otherwise),
//                 - b <= now - settle_delay, and
//                 - tier N can gain no more data for it: some tier N block
//                   ends at or after b (tier N has moved past the window), or
//                   tier N has been quiet for a while
//                   (b <= now - settle_delay - tier N's block_duration), and
//                 - the new block would be kept (b > now - tier N+1's retention).
//
// Blocks the plan makes count as made for the rest of the plan: a 5m block
// planned now can complete a 1h window in the same plan (that action lists
// it in source_actions), and a source block whose window is downsampled in
// this plan can be dropped in it (after_actions). So planning again after the
// actions are carried out, at the same time, gives no actions: the plan is a
// fixed point. Planning is deterministic: the same input gives the same
// actions in the same order (downsamples tier by tier and window by window,
// then drops by tier, min_time and dir).
//
// Blocks whose tier is not configured (a tier removed from the config) are
// neither dropped nor read: deleting data because a config line went away is
// for a person to decide.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "common/util/status.hpp"

namespace mc::tiering {

struct TierConfig {
  std::string name;           // the `tier` of its blocks: "raw", "5m", "1h"
  int64_t resolution_ms = 0;  // 0 for raw
  int64_t retention_ms = 0;
  int64_t block_duration_ms = 0;
};

struct BlockInfo {
  std::string dir;
  std::string tier;
  int64_t min_time = 0;  // inclusive, ms
  int64_t max_time = 0;  // exclusive, ms

  bool operator==(const BlockInfo&) const = default;
};

// Make one block of `target_tier` covering [min_time, max_time) from the
// blocks of `source_tier` that overlap it. The new block's BlockInfo must carry
// exactly that range (not the range of its samples), so that later plans see
// the window as done.
struct DownsampleAction {
  std::string source_tier;
  std::string target_tier;
  int64_t min_time = 0;
  int64_t max_time = 0;
  std::vector<BlockInfo> sources;  // blocks on disk, by min_time
  // Earlier actions of this plan whose new blocks are sources too: carry
  // those out first.
  std::vector<size_t> source_actions;
};

// Delete one block. Actions listed in `after_actions` (downsamples of this
// plan that read the block) must have succeeded first; if one failed, keep
// the block and plan again later.
struct DropAction {
  BlockInfo block;
  std::vector<size_t> after_actions;
};

using Action = std::variant<DownsampleAction, DropAction>;

// How long after a window's end its source blocks are taken as complete: a
// raw block is cut from the head a while after its end, and blocks still being
// written must not be missed.
inline constexpr int64_t kDefaultSettleDelayMs = int64_t{60} * 60 * 1000;

struct PlanOptions {
  int64_t settle_delay_ms = kDefaultSettleDelayMs;
};

// Checks what plan() relies on: at least one tier; names unique and not
// empty; the first tier raw (resolution 0) and only it; resolutions
// increasing, each a multiple of the one before; retentions positive and not
// shrinking from tier to tier; block durations positive, each a multiple of
// its resolution and of the block duration before it.
Status validate_tiers(const std::vector<TierConfig>& tiers);

// The actions due at `now_ms`. REQUIRES: validate_tiers(tiers) is ok.
std::vector<Action> plan(const std::vector<BlockInfo>& blocks, const std::vector<TierConfig>& tiers,
                         int64_t now_ms, const PlanOptions& options = {});

// One line for logs: "downsample raw -> 5m [0, 86400000) from raw-0, raw-7200000"
// or "drop raw-0 (raw [0, 7200000)) after actions 0".
std::string describe(const Action& action);

}  // namespace mc::tiering
