// Store recovery: what DiskStorage::open does before it serves, after taking
// the lock. It opens every block of DIR/blocks and checks every CRC, moving a
// block that fails to DIR/corrupt/ (the rest of the store serves), removes
// what a crash left half written or half deleted, and replays the write-ahead
// log into the head: samples older than the newest raw block are already in
// blocks and are skipped; a torn tail is cut at its last good record.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/store/block/block_reader.hpp"
#include "common/store/head_storage.hpp"
#include "common/store/wal/wal_replay.hpp"
#include "common/util/status.hpp"

namespace mc {

struct RecoveredBlocks {
  std::vector<std::shared_ptr<block::BlockReader>> blocks;  // those that passed their checks
  uint64_t set_aside = 0;                                   // moved to DIR/corrupt/
  std::optional<int64_t> raw_max_time;                      // the newest raw block's end
};

// Opens the blocks of `store_dir`/blocks. Fails only when the directory
// cannot be read; a damaged block is set aside, logged and counted.
Result<RecoveredBlocks> recover_blocks(const std::filesystem::path& store_dir);

// Moves `block_dir` to `store_dir`/corrupt/ (".1", ".2", ... when that name is
// taken) and logs why; a block that cannot be moved is logged as such.
void set_aside_block(const std::filesystem::path& store_dir, const std::filesystem::path& block_dir,
                     const std::string& reason);

// Replays `wal_dir` into `head` (whose min valid time says what blocks hold)
// and logs what it restored and any damage. Returns the number of damaged
// records found, torn tails included. `store stats` replays with
// repair_torn_tail off, to see what the daemon would serve without changing
// anything.
Result<uint64_t> replay_wal_into_head(const std::filesystem::path& wal_dir, HeadStorage& head,
                                      const WalReplayOptions& options = {});

}  // namespace mc
