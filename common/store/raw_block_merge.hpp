// Raw block merge: carries out tiering::plan_raw_merges on the store's blocks.
// Each window's raw blocks are read a series at a time
// (SeriesAcrossSources) and written as one raw block of the window, which is
// opened and served before its sources are deleted. A crash between the two
// leaves both: the merged block lists its sources in meta.json, so the next
// round deletes a raw block that a merged raw block holds before planning
// (queries meanwhile see each sample once: a timestamp in two blocks of a
// tier is read once).
//
// Thread-safety: the compactor's thread (and `store import`), one at a time.
#pragma once

#include <cstdint>

#include "common/store/block_set.hpp"
#include "common/store/disk_storage_options.hpp"

namespace mc {

struct RawMergeOutcome {
  uint64_t done = 0;    // windows merged, and superseded blocks deleted
  uint64_t failed = 0;  // windows whose merge failed (logged; planned again next round)
};

// Merges every window plan_raw_merges() gives for the raw tier's blocks in
// `blocks`, windows of options.raw_merge_window_ms (none when 0).
RawMergeOutcome merge_raw_blocks(const DiskStorageOptions& options, BlockSet& blocks,
                                 int64_t settled_before);

}  // namespace mc
