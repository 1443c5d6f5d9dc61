// BlockIndexCache: the parsed indexes of every open block of the process, least
// recently used first out, within one byte budget. A parsed index is about
// 100 B a series (block_index.hpp), and raw blocks stay open for days, so an
// index kept per block made the heap grow with the number of blocks, not of
// series (issue 14). A block keeps its index file open instead and parses it
// again when a query needs it after it was evicted (bench/head_memory.md,
// "The open blocks' indexes, bounded"). Opening a block puts nothing here:
// only reads do, so a daemon that is scraped and never queried holds no
// index (each cut's had stayed, up to the budget, in the 3-hour soak).
//
// Whoever holds an Index keeps it alive past its eviction: a query pins the
// indexes of the blocks it reads, so the heap is at most the budget plus what
// running queries hold. The newest index stays even when it alone is larger
// than the budget, so that calls on one block in a row do not parse it each.
//
// Private to common/store/block. Thread-safety: every method may be called
// from any thread (one mutex; an evicted index is freed outside it).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace mc::block {

class BlockIndex;

class BlockIndexCache {
 public:
  using Index = std::shared_ptr<const BlockIndex>;

  static constexpr size_t kDefaultBudgetBytes = size_t{64} << 20;

  // The cache the blocks of the daemon share (kDefaultBudgetBytes until
  // set_budget()).
  static BlockIndexCache& process();

  explicit BlockIndexCache(size_t budget_bytes) : budget_bytes_(budget_bytes) {}
  BlockIndexCache(const BlockIndexCache&) = delete;
  BlockIndexCache& operator=(const BlockIndexCache&) = delete;

  // A key for one block reader's index, unique in this process.
  uint64_t new_key() { return next_key_.fetch_add(1) + 1; }

  // The cached index, or null; a hit makes it the most recently used.
  Index find(uint64_t key);
  // Keeps `index` (counted as index->heap_bytes()), evicting the least
  // recently used others down to the budget. Replaces what `key` held.
  void insert(uint64_t key, Index index);
  // Forgets `key` (its block was closed).
  void erase(uint64_t key);
  // Evicts down to `bytes` at once; later inserts keep to it.
  void set_budget(size_t bytes);
  // Counts an index parsed from its file (at open, or again after an eviction).
  void count_parse() { parses_.fetch_add(1, std::memory_order_relaxed); }

  struct Stats {
    size_t budget_bytes = 0;
    size_t bytes = 0;  // held by the cache (pinned indexes outside it not counted)
    size_t entries = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t evictions = 0;
    uint64_t parses = 0;
  };
  Stats stats() const;

 private:
  struct Entry {
    uint64_t key;
    Index index;
    size_t bytes;
  };
  using Entries = std::list<Entry>;

  // Moves the entries beyond the budget (all but the newest) to `evicted`,
  // to be freed once the lock is released.
  void evict_locked(Entries& evicted);

  std::atomic<uint64_t> next_key_{0};
  mutable std::mutex mutex_;
  size_t budget_bytes_;
  Entries entries_;  // most recently used first
  std::unordered_map<uint64_t, Entries::iterator> by_key_;
  size_t bytes_ = 0;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
  uint64_t evictions_ = 0;
  std::atomic<uint64_t> parses_{0};
};

}  // namespace mc::block
