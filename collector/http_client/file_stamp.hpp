// FileStamp: what stat(2) says of a file that may be replaced while the daemon
// runs (a rotated token, password, certificate or key): its device, inode,
// size and modification time. Two stamps differ when the file was rewritten
// or replaced (a Kubernetes secret's symlink swap changes the inode), so a
// reader re-reads only then.
//
// Pure value; callable from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mc {

struct FileStamp {
  uint64_t device = 0;
  uint64_t inode = 0;
  int64_t size = 0;
  int64_t modified_ns = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;

  // The stamp of the file `path` names (symlinks followed); nullopt when it
  // cannot be stat'ed.
  static std::optional<FileStamp> of(const std::string& path);
};

}  // namespace mc
