// WalSegmentFile: one WAL segment open for appending. An append is all or
// nothing as far as this process can tell: after a short or failed write the
// file is cut back to its previous size, so a later append never lands behind
// half a record (which replay would take for the end of the log).
//
// Thread-safety: append() from one thread at a time (the writer's lock);
// sync() may run concurrently with append() from another thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

#include "common/util/status.hpp"

namespace mc {

class WalSegmentFile {
 public:
  // Creates the file when missing; appends after its current end.
  static Result<std::unique_ptr<WalSegmentFile>> open_for_append(const std::filesystem::path& path);
  ~WalSegmentFile();
  WalSegmentFile(const WalSegmentFile&) = delete;
  WalSegmentFile& operator=(const WalSegmentFile&) = delete;

  Status append(std::span<const uint8_t> bytes);
  // fdatasync: the data and the size, not the timestamps.
  Status sync();

  uint64_t size() const { return size_; }
  // True after a failed append could not be undone: the caller must move on
  // to a new segment.
  bool damaged() const { return damaged_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  WalSegmentFile(std::filesystem::path path, int fd, uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {}

  std::filesystem::path path_;
  int fd_;
  uint64_t size_;
  bool damaged_ = false;
};

}  // namespace mc
