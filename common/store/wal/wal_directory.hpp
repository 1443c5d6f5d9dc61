// The files of a WAL directory: naming and listing segments and checkpoints
// (layout in wal_format.hpp), and the directory fsync that makes a created,
// renamed or deleted file durable.
//
// Thread-safety: free functions; callers serialise changes to one directory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/util/status.hpp"

namespace mc {

struct WalDirectoryListing {
  std::vector<uint64_t> segments;                // ascending
  std::vector<uint64_t> checkpoints;             // complete ones, ascending
  std::vector<std::filesystem::path> temporary;  // unfinished checkpoints
};

std::string wal_segment_name(uint64_t number);
std::filesystem::path wal_segment_path(const std::filesystem::path& dir, uint64_t number);
std::filesystem::path wal_checkpoint_path(const std::filesystem::path& dir, uint64_t number);

// Entries whose names fit no pattern are ignored. A missing directory lists empty.
Result<WalDirectoryListing> list_wal_directory(const std::filesystem::path& dir);
// The segment files of one checkpoint directory, in order.
Result<std::vector<std::filesystem::path>> list_checkpoint_segments(
    const std::filesystem::path& checkpoint_dir);
// Bytes of the segments and checkpoints listed in `dir`.
uint64_t wal_disk_bytes(const std::filesystem::path& dir);

Status sync_directory(const std::filesystem::path& dir);
// Removes a file or a directory tree; a missing one is not an error.
Status remove_path(const std::filesystem::path& path);

// A segment file opened with `flags` (O_CLOEXEC added) and its size, for the
// writer (append) and the reader alike. The caller owns `fd`.
struct OpenedSegment {
  int fd = -1;
  uint64_t size = 0;
};
Result<OpenedSegment> open_wal_segment(const std::filesystem::path& path, int flags);

}  // namespace mc
