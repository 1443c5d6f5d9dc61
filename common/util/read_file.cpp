#include "common/util/read_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "common/util/errno_text.hpp"

namespace mc {

Result<std::string> read_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::error(errno_text());
  std::string content;
  char buffer[64 * 1024];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string error = errno_text();
      ::close(fd);
      return Status::error(std::move(error));
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return content;
}

}  // namespace mc
