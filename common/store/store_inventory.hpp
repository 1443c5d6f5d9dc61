// Store inventory: what a store directory holds, for `store stats`, read
// without the store's lock and without changing a byte, so that it can be
// taken beside a running daemon. Blocks are counted per tier; the head is
// what the daemon would restore from the write-ahead log at a restart (the
// same replay into a HeadStorage, samples already in raw blocks skipped), so
// a store that has not cut its first block yet does not look empty. Series
// are counted once however many blocks (and the head) hold them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/util/status.hpp"

namespace mc {

struct InventoryPart {
  uint64_t blocks = 0;
  uint64_t series = 0;  // distinct
  uint64_t samples = 0;
  uint64_t data_bytes = 0;
  uint64_t index_bytes = 0;
  // Inclusive, ms: the blocks' windows, the head's samples. Unset when empty.
  std::optional<int64_t> min_time;
  std::optional<int64_t> max_time;
};

struct StoreInventory {
  std::map<std::string, InventoryPart> tiers;  // by tier name
  std::optional<InventoryPart> head;           // set when DIR/wal exists
  InventoryPart total;                         // blocks and head
  uint64_t wal_bytes = 0;
  // Damaged WAL records met while counting the head (torn tails included):
  // the head lacks what follows them; `store verify` names file and offset.
  uint64_t wal_damaged_records = 0;
  // A block that could not be opened, or a WAL that could not be read: one
  // message each; the inventory holds the rest.
  std::vector<std::string> problems;
};

// Fails when `dir` is not a store (check_store_directory).
Result<StoreInventory> take_store_inventory(const std::filesystem::path& dir);

}  // namespace mc
