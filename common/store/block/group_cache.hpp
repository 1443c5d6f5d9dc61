// GroupCache: the decompressed chunk groups of every open block of the
// process, least recently used first out, within one byte budget. Reading
// neighbouring series (one target's series sit side by side) then
// decompresses each group once, and a dashboard refreshed every few seconds
// reads its week of blocks from memory.
//
// One budget for all blocks, not one per block: each block kept up to 16 MiB
// of its own, for as long as it was open, and the store's open check reads
// every series of every block, so a daemon started on a week of 2-hour blocks
// at 200,000 series held 84 x 16 MiB of groups before its first scrape
// (bench/head_memory.md, "Chunk groups of every block").
//
// Sharded by (block, group): query threads reading different blocks rarely
// meet on a lock. Each shard keeps to its share of the budget; a group larger
// than a shard's share is not kept.
//
// Private to common/store/block. Thread-safety: every method may be called
// from any thread; evicted groups are freed outside the shard's lock.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <span>
#include <unordered_map>
#include <vector>

namespace mc::block {

class GroupCache {
 public:
  using Group = std::shared_ptr<const std::vector<uint8_t>>;

  static constexpr size_t kDefaultBudgetBytes = size_t{64} << 20;
  static constexpr size_t kShards = 16;

  // The cache the blocks of the daemon share (kDefaultBudgetBytes until
  // set_budget()).
  static GroupCache& process();

  // `shards` locks and LRU lists, each with its share of the budget: one for
  // a cache a single reader walks in order (SeriesStream, verify()).
  explicit GroupCache(size_t budget_bytes, size_t shards = kShards);
  GroupCache(const GroupCache&) = delete;
  GroupCache& operator=(const GroupCache&) = delete;

  // A key for one block reader's groups, unique in this process.
  uint64_t new_key() { return next_key_.fetch_add(1) + 1; }

  // The cached group `group` of block `key`, or null; a hit makes it the most
  // recently used of its shard.
  Group find(uint64_t key, uint32_t group);
  // Keeps `bytes`, evicting the least recently used groups of its shard to
  // make room; not kept when larger than a shard's share of the budget.
  void insert(uint64_t key, uint32_t group, Group bytes);
  // Forgets every group of `key` (its block was closed).
  void erase(uint64_t key);
  // Evicts down to `bytes` at once; later inserts keep to it.
  void set_budget(size_t bytes);

  struct Stats {
    size_t budget_bytes = 0;
    size_t bytes = 0;
    size_t entries = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t evictions = 0;
  };
  Stats stats() const;
  // The bytes held for block `key` (tests and the memory benches).
  size_t bytes_of(uint64_t key) const;

 private:
  struct Entry {
    uint64_t key;
    uint32_t group;
    Group bytes;
  };
  using Entries = std::list<Entry>;
  struct Id {
    uint64_t key;
    uint32_t group;
    bool operator==(const Id&) const = default;
  };
  struct IdHash {
    size_t operator()(const Id& id) const {
      return std::hash<uint64_t>()(id.key * 0x9e3779b97f4a7c15 ^ id.group);
    }
  };
  struct Shard {
    mutable std::mutex mutex;
    size_t budget_bytes = 0;
    Entries entries;  // most recently used first
    std::unordered_map<Id, Entries::iterator, IdHash> by_id;
    size_t bytes = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t evictions = 0;
  };

  Shard& shard_of(uint64_t key, uint32_t group) {
    return shards_[IdHash()(Id{key, group}) % shard_count_];
  }
  std::span<Shard> shards() { return {shards_.get(), shard_count_}; }
  std::span<const Shard> shards() const { return {shards_.get(), shard_count_}; }
  // Moves the least recently used entries beyond the shard's budget to
  // `evicted`, to be freed once the lock is released.
  static void evict_locked(Shard& shard, Entries& evicted);

  std::atomic<uint64_t> next_key_{0};
  const size_t shard_count_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace mc::block
