#include "common/store/block/block_index_cache.hpp"

#include "common/store/block/block_index.hpp"

namespace mc::block {

BlockIndexCache& BlockIndexCache::process() {
  static BlockIndexCache cache(kDefaultBudgetBytes);
  return cache;
}

BlockIndexCache::Index BlockIndexCache::find(uint64_t key) {
  std::lock_guard lock(mutex_);
  const auto it = by_key_.find(key);
  if (it == by_key_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->index;
}

void BlockIndexCache::insert(uint64_t key, Index index) {
  const size_t size = index->heap_bytes().total();
  Entries evicted;
  std::lock_guard lock(mutex_);
  if (const auto it = by_key_.find(key); it != by_key_.end()) {
    bytes_ -= it->second->bytes;
    evicted.splice(evicted.end(), entries_, it->second);
    by_key_.erase(it);
  }
  entries_.push_front(Entry{key, std::move(index), size});
  by_key_.emplace(key, entries_.begin());
  bytes_ += size;
  evict_locked(evicted);
}

void BlockIndexCache::erase(uint64_t key) {
  Entries evicted;
  std::lock_guard lock(mutex_);
  const auto it = by_key_.find(key);
  if (it == by_key_.end()) return;
  bytes_ -= it->second->bytes;
  evicted.splice(evicted.end(), entries_, it->second);
  by_key_.erase(it);
}

void BlockIndexCache::set_budget(size_t bytes) {
  Entries evicted;
  std::lock_guard lock(mutex_);
  budget_bytes_ = bytes;
  evict_locked(evicted);
}

void BlockIndexCache::evict_locked(Entries& evicted) {
  while (bytes_ > budget_bytes_ && entries_.size() > 1) {
    bytes_ -= entries_.back().bytes;
    by_key_.erase(entries_.back().key);
    evicted.splice(evicted.end(), entries_, std::prev(entries_.end()));
    ++evictions_;
  }
}

BlockIndexCache::Stats BlockIndexCache::stats() const {
  std::lock_guard lock(mutex_);
  return Stats{budget_bytes_,
               bytes_,
               entries_.size(),
               hits_,
               misses_,
               evictions_,
               parses_.load(std::memory_order_relaxed)};
}

}  // namespace mc::block
