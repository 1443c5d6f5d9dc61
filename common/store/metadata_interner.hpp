// MetadataInterner: keeps one copy of each distinct MetricMetadata so that a
// series points at shared metadata (8 bytes per series) instead of owning
// strings; thousands of series of one family share one HELP text.
//
// Interned objects live as long as the interner (metadata variety is small and
// stable; a later change may drop entries no series points to any more).
//
// Thread-safety: intern() and size() may be called from any thread.
#pragma once

#include <cstddef>
#include <mutex>
#include <unordered_set>

#include "common/model/metric_metadata.hpp"

namespace mc {

class MetadataInterner {
 public:
  // The shared copy equal to `metadata`; stable for the interner's lifetime.
  const MetricMetadata* intern(const MetricMetadata& metadata);
  size_t size() const;

 private:
  struct Hash {
    size_t operator()(const MetricMetadata& metadata) const;
  };

  mutable std::mutex mutex_;
  std::unordered_set<MetricMetadata, Hash> interned_;  // nodes are stable: pointers stay valid
};

}  // namespace mc
