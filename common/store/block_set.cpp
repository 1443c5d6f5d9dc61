#include "common/store/block_set.hpp"

#include <algorithm>

namespace mc {

void BlockSet::add(std::shared_ptr<block::BlockReader> reader) {
  std::lock_guard lock(mutex_);
  blocks_.push_back(std::move(reader));
  std::sort(blocks_.begin(), blocks_.end(), [](const auto& a, const auto& b) {
    if (a->meta().resolution_ms != b->meta().resolution_ms) {
      return a->meta().resolution_ms < b->meta().resolution_ms;
    }
    return a->meta().min_time < b->meta().min_time;
  });
}

void BlockSet::remove(const std::string& dir) {
  std::lock_guard lock(mutex_);
  std::erase_if(blocks_, [&](const auto& block) { return block->dir() == dir; });
}

std::vector<std::shared_ptr<block::BlockReader>> BlockSet::snapshot() const {
  std::lock_guard lock(mutex_);
  return blocks_;
}

}  // namespace mc
