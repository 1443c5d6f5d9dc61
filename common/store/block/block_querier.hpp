// block_querier: the Querier (common/store/querier.hpp) of one block over
// [mint, maxt]: the values of a raw block; for a downsampled block the
// reset-adjusted counter of counters and the window average of the rest.
//
// select() uses the block's postings; a series' samples are read from disk
// when its iterator first moves, so selecting many series and reading few
// costs little. The querier shares the BlockReader, so it may outlive the
// caller's reference to it, and pins the block's parsed index (its series
// and iterators too), so that the shared index cache evicting it meanwhile
// does not make each read parse it again (block_index_cache.hpp).
//
// Thread-safety: as Querier (one thread per querier); many queriers may share
// one BlockReader.
#pragma once

#include <cstdint>
#include <memory>

#include "common/store/block/block_reader.hpp"
#include "common/store/querier.hpp"

namespace mc::block {

std::unique_ptr<Querier> block_querier(std::shared_ptr<BlockReader> block, int64_t mint,
                                       int64_t maxt);

}  // namespace mc::block
