#include "common/store/metadata_interner.hpp"

#include <functional>
#include <string_view>

namespace mc {

size_t MetadataInterner::Hash::operator()(const MetricMetadata& metadata) const {
  const std::hash<std::string_view> hash;
  size_t h = hash(metadata.family);
  h = h * 31 + hash(metadata.help);
  h = h * 31 + hash(metadata.unit);
  return h * 31 + static_cast<size_t>(metadata.type);
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
