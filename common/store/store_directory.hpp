// Store directory recognition: is DIR a metrics-collector store, and if not,
// what is it? The operator tools (`store stats`, `store verify`) read a
// directory they are pointed at; pointed at a Prometheus TSDB or a typo'd
// path, they must say so, rather than call foreign files damaged.
//
// A metrics-collector store always has DIR/blocks/ (DiskStorage::open and
// `store import` create it before anything else); a Prometheus TSDB has ULID
// block directories holding meta.json and chunks/ right under DIR, and
// chunks_head/ beside its wal/.
//
// Also here, as part of the layout: which entries of DIR/blocks are blocks.
#pragma once

#include <filesystem>
#include <vector>

#include "common/util/status.hpp"

namespace mc {

// Ok for a store (also an empty one). Otherwise "DIR: not a metrics-collector
// store (no blocks/ directory; found ...)" naming what is there, and calling
// it a Prometheus TSDB when it looks like one.
Status check_store_directory(const std::filesystem::path& dir);

// The block directories of the store at `dir`, sorted, damaged ones included;
// a name ending in .tmp or .deleted is a block being written or removed, not
// a block, and is left out.
std::vector<std::filesystem::path> list_block_dirs(const std::filesystem::path& dir);

}  // namespace mc
