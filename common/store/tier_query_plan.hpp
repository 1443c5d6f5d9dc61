// Tier query planning: which blocks serve a querier's range [mint, maxt].
//
// Without hints, the head and the raw blocks overlapping the range always
// serve; a coarser tier serves only times older than every block of the finer
// tiers (its values are window averages, or for counters the reset-adjusted
// counter, so rate() stays right), and is read as a whole so that counters
// continue across its blocks.
//
// With ReadHints allowing a coarser resolution (a range query whose step is
// much larger than the raw spacing), the coarsest allowed tier that holds
// data in the range serves the times its blocks cover, and the finer tiers
// and the head only what is newer than its newest block (not yet
// downsampled). Tiers coarser than that one still serve only what is older
// than every finer block.
//
// Newer sources come first, so that where a block and the head both hold a
// timestamp (between a block cut and the head's truncation) the newer one
// wins and the sample appears once. The querier's tiers() names the tiers
// that serve, finest first ("raw" for the head and raw blocks).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "common/store/block/block_reader.hpp"
#include "common/store/querier.hpp"
#include "common/store/read_hints.hpp"

namespace mc {

// The head's querier over [mint, maxt].
using HeadQuerierFactory = std::function<std::unique_ptr<Querier>(int64_t mint, int64_t maxt)>;

// `blocks` as BlockSet::snapshot() returns them: finest tier first, then by
// min_time. The result merges the head with the queriers of the chosen blocks.
std::unique_ptr<Querier> plan_tier_querier(
    const HeadQuerierFactory& head, const std::vector<std::shared_ptr<block::BlockReader>>& blocks,
    int64_t mint_ms, int64_t maxt_ms, const ReadHints& hints = {});

}  // namespace mc
