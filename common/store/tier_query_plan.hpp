// Tier query planning: which blocks serve a querier's range [mint, maxt].
// The head and the raw blocks overlapping the range always serve; a coarser
// tier serves only times older than every block of the finer tiers (its values
// are window averages, or for counters the reset-adjusted counter, so rate()
// stays right), and is read as a whole so that counters continue across its
// blocks. Newer sources come first, so that where a block and the head both
// hold a timestamp (between a block cut and the head's truncation) the newer
// one wins and the sample appears once.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/store/block/block_reader.hpp"
#include "common/store/querier.hpp"

namespace mc {

// `blocks` as BlockSet::snapshot() returns them: finest tier first, then by
// min_time. The result merges `head` with the queriers of the chosen blocks.
std::unique_ptr<Querier> plan_tier_querier(
    std::unique_ptr<Querier> head, const std::vector<std::shared_ptr<block::BlockReader>>& blocks,
    int64_t mint_ms, int64_t maxt_ms);

}  // namespace mc
