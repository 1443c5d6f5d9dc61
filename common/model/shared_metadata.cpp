#include "common/model/shared_metadata.hpp"

#include <mutex>
#include <unordered_set>

namespace mc {

namespace {

using Entry = SharedMetadata::Entry;

struct EntryHash {
  using is_transparent = void;
  size_t operator()(const MetricMetadata& metadata) const { return metadata_hash(metadata); }
  size_t operator()(const Entry& entry) const { return metadata_hash(entry.metadata); }
};
struct EntryEqual {
  using is_transparent = void;
  static const MetricMetadata& of(const MetricMetadata& metadata) { return metadata; }
  static const MetricMetadata& of(const Entry& entry) { return entry.metadata; }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return of(a) == of(b);
  }
};

struct MetadataPool {
  std::mutex mutex;
  // Set nodes do not move, so handles point into them.
  std::unordered_set<Entry, EntryHash, EntryEqual> entries;
};

// Never destroyed: handles held by other static objects may be dropped at exit.
MetadataPool& pool() {
  static auto* instance = new MetadataPool();
  return *instance;
}

}  // namespace

SharedMetadata SharedMetadata::intern(const MetricMetadata& metadata) {
  MetadataPool& shared = pool();
  std::lock_guard lock(shared.mutex);
  auto found = shared.entries.find(metadata);
  if (found == shared.entries.end()) found = shared.entries.emplace(metadata).first;
  auto& entry = const_cast<Entry&>(*found);  // only refs changes; the key part stays
  entry.refs.fetch_add(1, std::memory_order_relaxed);
  return SharedMetadata(&entry);
}

void SharedMetadata::release() {
  if (entry_ == nullptr) return;
  // The count drops under the lock: intern() may find the entry and count it
  // again at any moment until it is erased, so "last" is decided there.
  MetadataPool& shared = pool();
  std::lock_guard lock(shared.mutex);
  if (entry_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    shared.entries.erase(shared.entries.find(entry_->metadata));
  }
  entry_ = nullptr;
}

size_t SharedMetadata::pool_size() {
  MetadataPool& shared = pool();
  std::lock_guard lock(shared.mutex);
  return shared.entries.size();
}

}  // namespace mc
