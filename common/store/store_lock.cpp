#include "common/store/store_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "common/util/errno_text.hpp"

namespace mc {

Result<std::unique_ptr<StoreLock>> StoreLock::acquire(const std::filesystem::path& dir) {
  const std::string path = (dir / "lock").string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::error(path + ": " + errno_text());
  // Owned from here, so every return below releases the descriptor.
  std::unique_ptr<StoreLock> lock(new StoreLock(fd));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const std::string reason = errno_text();
    return Status::error(path + ": the store is in use by another process (" + reason + ")");
  }
  return lock;
}

StoreLock::~StoreLock() { ::close(fd_); }

}  // namespace mc
