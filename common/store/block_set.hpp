// BlockSet: the blocks a disk store serves, shared by the compactor (which
// adds cut blocks), tier plan execution (which adds downsampled blocks and
// drops expired ones) and queriers (which read a snapshot). A querier keeps
// the readers of its snapshot alive, so dropping a block never pulls it from
// under a read in progress.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/store/block/block_reader.hpp"

namespace mc {

class BlockSet {
 public:
  void add(std::shared_ptr<block::BlockReader> reader);
  // Forgets the block in `dir`; its files are the caller's to remove.
  void remove(const std::string& dir);
  // Forgets the block in `dir` and deletes its directory: renamed first, so a
  // crash halfway through deleting leaves a name that opening skips. Readers
  // still holding it read on through their open files. `why` goes to the log.
  void remove_and_delete(const std::string& dir, std::string_view why);
  // Sorted finest tier first (resolution), then by min_time.
  std::vector<std::shared_ptr<block::BlockReader>> snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<block::BlockReader>> blocks_;
};

}  // namespace mc
