// Tier plan execution: the second half of every compaction round. It lists
// the store's blocks, asks tiering::plan() what to downsample and drop, and
// carries the actions out in the plan's order: a downsample writes one block
// of the coarser tier from the finer blocks of its window (read as raw
// samples or as window aggregates) and adds it to the block set; a drop
// forgets a block past its retention and removes its directory, but only once
// every downsample that reads it has succeeded.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/store/block_set.hpp"
#include "common/store/disk_storage_options.hpp"

namespace mc {

struct TierPlanOutcome {
  size_t done = 0;      // blocks written and dropped
  uint64_t failed = 0;  // downsamples that failed (logged; planned again next round)
};

// One plan against the blocks of `blocks` and options.clock(); nothing to do
// without tiers.
TierPlanOutcome execute_tier_plan(const DiskStorageOptions& options, BlockSet& blocks);

}  // namespace mc
