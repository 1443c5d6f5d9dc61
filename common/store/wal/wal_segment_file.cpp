#include "common/store/wal/wal_segment_file.hpp"

#include "common/store/wal/wal_directory.hpp"
#include "common/util/errno_text.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mc {

Result<std::unique_ptr<WalSegmentFile>> WalSegmentFile::open_for_append(
    const std::filesystem::path& path) {
  auto opened = open_wal_segment(path, O_WRONLY | O_CREAT | O_APPEND);
  if (!opened) return opened.status();
  return std::unique_ptr<WalSegmentFile>(new WalSegmentFile(path, opened->fd, opened->size));
}

WalSegmentFile::~WalSegmentFile() { ::close(fd_); }

Status WalSegmentFile::append(std::span<const uint8_t> bytes) {
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + written, bytes.size() - written);
    if (n > 0) {
      written += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    const int write_errno = n < 0 ? errno : EIO;
    if (written > 0 && ::ftruncate(fd_, static_cast<off_t>(size_)) != 0) damaged_ = true;
    return Status::error(fmt::format("write to WAL segment {} at byte offset {}: {}",
                                     path_.string(), size_ + written, errno_text(write_errno)));
  }
  size_ += written;
  return Status::ok();
}

Status WalSegmentFile::sync() {
  if (::fdatasync(fd_) != 0) {
    return Status::error(fmt::format("fsync of WAL segment {}: {}", path_.string(), errno_text()));
  }
  return Status::ok();
}

}  // namespace mc
