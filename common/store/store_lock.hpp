// StoreLock: the exclusive lock on DIR/lock that a process holds for as long
// as it writes a store directory (the daemon's DiskStorage, `store import`),
// so that two writers never change the same blocks and WAL at once
// (docs/storage-format.md, "DIR/lock").
//
// flock(LOCK_EX | LOCK_NB): a second opener fails at once, naming the file,
// rather than waiting behind a daemon that may run for months. The lock
// belongs to the open file description, so it also excludes a second opener
// in the same process, and the kernel drops it when the process dies.
#pragma once

#include <filesystem>
#include <memory>

#include "common/util/status.hpp"

namespace mc {

class StoreLock {
 public:
  // Creates DIR/lock (mode 0644) when missing and takes the lock; fails with
  // "DIR/lock: the store is in use by another process (...)" when held.
  // REQUIRES: `dir` exists.
  static Result<std::unique_ptr<StoreLock>> acquire(const std::filesystem::path& dir);
  // Releases the lock (closing the descriptor does).
  ~StoreLock();
  StoreLock(const StoreLock&) = delete;  // two owners would close the descriptor twice
  StoreLock& operator=(const StoreLock&) = delete;

 private:
  explicit StoreLock(int fd) : fd_(fd) {}

  int fd_;
};

}  // namespace mc
