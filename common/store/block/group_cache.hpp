// GroupCache: decompressed chunk groups of one block, least recently used
// first out, bounded in bytes. Reading neighbouring series (one target's
// series sit side by side) then decompresses each group once.
//
// Private to common/store/block. Thread-safety: every method may be called
// from any thread (one mutex; lookups are short).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace mc::block {

class GroupCache {
 public:
  using Group = std::shared_ptr<const std::vector<uint8_t>>;

  explicit GroupCache(size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}

  // The cached group, or null.
  Group find(uint32_t group);
  // Keeps `bytes` (unless bigger than the whole capacity), evicting the least
  // recently used groups to make room.
  void insert(uint32_t group, Group bytes);
  size_t bytes() const;

 private:
  struct Entry {
    uint32_t group;
    Group bytes;
  };

  const size_t capacity_bytes_;
  mutable std::mutex mutex_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<uint32_t, std::list<Entry>::iterator> by_group_;
  size_t bytes_ = 0;
};

}  // namespace mc::block
