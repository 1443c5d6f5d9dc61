#include "collector/http_client/file_stamp.hpp"

#include <sys/stat.h>

namespace mc {

std::optional<FileStamp> FileStamp::of(const std::string& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) return std::nullopt;
  return FileStamp{
      .device = static_cast<uint64_t>(status.st_dev),
      .inode = static_cast<uint64_t>(status.st_ino),
      .size = static_cast<int64_t>(status.st_size),
      .modified_ns = static_cast<int64_t>(status.st_mtim.tv_sec) * 1'000'000'000 +
                     static_cast<int64_t>(status.st_mtim.tv_nsec),
  };
}

}  // namespace mc
