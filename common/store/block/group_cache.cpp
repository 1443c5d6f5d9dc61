#include "common/store/block/group_cache.hpp"

#include <algorithm>

namespace mc::block {

GroupCache& GroupCache::process() {
  static GroupCache cache(kDefaultBudgetBytes);
  return cache;
}

GroupCache::GroupCache(size_t budget_bytes, size_t shards)
    : shard_count_(std::max<size_t>(shards, 1)), shards_(std::make_unique<Shard[]>(shard_count_)) {
  for (Shard& shard : this->shards()) shard.budget_bytes = budget_bytes / shard_count_;
}

GroupCache::Group GroupCache::find(uint64_t key, uint32_t group) {
  Shard& shard = shard_of(key, group);
  std::lock_guard lock(shard.mutex);
  const auto it = shard.by_id.find(Id{key, group});
  if (it == shard.by_id.end()) {
    ++shard.misses;
    return nullptr;
  }
  ++shard.hits;
  shard.entries.splice(shard.entries.begin(), shard.entries, it->second);
  return it->second->bytes;
}

void GroupCache::insert(uint64_t key, uint32_t group, Group bytes) {
  Shard& shard = shard_of(key, group);
  const size_t size = bytes->size();
  Entries evicted;
  std::lock_guard lock(shard.mutex);
  if (size > shard.budget_bytes) return;
  if (shard.by_id.contains(Id{key, group})) return;  // another thread read it meanwhile
  shard.entries.push_front(Entry{key, group, std::move(bytes)});
  shard.by_id.emplace(Id{key, group}, shard.entries.begin());
  shard.bytes += size;
  evict_locked(shard, evicted);
}

void GroupCache::erase(uint64_t key) {
  for (Shard& shard : shards()) {
    Entries evicted;
    std::lock_guard lock(shard.mutex);
    for (auto it = shard.entries.begin(); it != shard.entries.end();) {
      const auto next = std::next(it);
      if (it->key == key) {
        shard.bytes -= it->bytes->size();
        shard.by_id.erase(Id{it->key, it->group});
        evicted.splice(evicted.end(), shard.entries, it);
      }
      it = next;
    }
  }
}

void GroupCache::set_budget(size_t bytes) {
  for (Shard& shard : shards()) {
    Entries evicted;
    std::lock_guard lock(shard.mutex);
    shard.budget_bytes = bytes / shard_count_;
    evict_locked(shard, evicted);
  }
}

void GroupCache::evict_locked(Shard& shard, Entries& evicted) {
  while (shard.bytes > shard.budget_bytes && !shard.entries.empty()) {
    const Entry& last = shard.entries.back();
    shard.bytes -= last.bytes->size();
    shard.by_id.erase(Id{last.key, last.group});
    evicted.splice(evicted.end(), shard.entries, std::prev(shard.entries.end()));
    ++shard.evictions;
  }
}

GroupCache::Stats GroupCache::stats() const {
  Stats stats;
  for (const Shard& shard : shards()) {
    std::lock_guard lock(shard.mutex);
    stats.budget_bytes += shard.budget_bytes;
    stats.bytes += shard.bytes;
    stats.entries += shard.entries.size();
    stats.hits += shard.hits;
    stats.misses += shard.misses;
    stats.evictions += shard.evictions;
  }
  return stats;
}

size_t GroupCache::bytes_of(uint64_t key) const {
  size_t bytes = 0;
  for (const Shard& shard : shards()) {
    std::lock_guard lock(shard.mutex);
    for (const Entry& entry : shard.entries) {
      if (entry.key == key) bytes += entry.bytes->size();
    }
  }
  return bytes;
}

}  // namespace mc::block
