#include "common/util/read_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "common/util/errno_text.hpp"

namespace mc {

Result<std::string> read_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::error(errno_text());
  // Read straight into the string, never through a stack buffer: this runs on
  // civetweb's worker threads (/proc files for process_* metrics), whose
  // stacks are small.
  std::string content;
  size_t used = 0;
  while (true) {
    if (content.size() - used < 4096) content.resize(std::max<size_t>(content.size() * 2, 8192));
    const ssize_t n = ::read(fd, content.data() + used, content.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string error = errno_text();
      ::close(fd);
      return Status::error(std::move(error));
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  content.resize(used);
  ::close(fd);
  return content;
}

}  // namespace mc
