#include "common/store/metadata_interner.hpp"

namespace mc {

size_t MetadataInterner::Hash::operator()(const MetricMetadata& metadata) const {
  return metadata_hash(metadata);
}

const MetricMetadata* MetadataInterner::intern(const MetricMetadata& metadata) {
  std::lock_guard lock(mutex_);
  return &*interned_.insert(metadata).first;
}

size_t MetadataInterner::size() const {
  std::lock_guard lock(mutex_);
  return interned_.size();
}

}  // namespace mc
