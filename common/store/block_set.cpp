#include "common/store/block_set.hpp"

#include <algorithm>
#include <filesystem>

#include "common/util/logger.hpp"

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

void BlockSet::remove_and_delete(const std::string& dir, std::string_view why) {
  remove(dir);
  namespace fs = std::filesystem;
  std::error_code error;
  const std::string doomed = dir + ".deleted";
  fs::rename(dir, doomed, error);
  fs::remove_all(error ? fs::path(dir) : fs::path(doomed), error);
  log::info("dropped a block", {{"block", dir}, {"why", why}});
}

std::vector<std::shared_ptr<block::BlockReader>> BlockSet::snapshot() const {
  std::lock_guard lock(mutex_);
  return blocks_;
}

}  // namespace mc
