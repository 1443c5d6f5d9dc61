#include "common/store/block/group_cache.hpp"

namespace mc::block {

GroupCache::Group GroupCache::find(uint32_t group) {
  std::lock_guard lock(mutex_);
  const auto it = by_group_.find(group);
  if (it == by_group_.end()) return nullptr;
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->bytes;
}

void GroupCache::insert(uint32_t group, Group bytes) {
  const size_t size = bytes->size();
  if (size > capacity_bytes_) return;
  std::lock_guard lock(mutex_);
  if (by_group_.contains(group)) return;  // another thread read it meanwhile
  while (bytes_ + size > capacity_bytes_ && !entries_.empty()) {
    bytes_ -= entries_.back().bytes->size();
    by_group_.erase(entries_.back().group);
    entries_.pop_back();
  }
  entries_.push_front(Entry{group, std::move(bytes)});
  by_group_.emplace(group, entries_.begin());
  bytes_ += size;
}

size_t GroupCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace mc::block
