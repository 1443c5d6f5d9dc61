#include "common/store/wal/wal_directory.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>

#include "common/store/wal/wal_format.hpp"
#include "common/util/errno_text.hpp"

namespace mc {

namespace fs = std::filesystem;

namespace {

std::optional<uint64_t> parse_segment_number(std::string_view name) {
  if (name.size() != kWalSegmentNameDigits) return std::nullopt;
  uint64_t number = 0;
  for (char c : name) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + static_cast<uint64_t>(c - '0');
  }
  return number;
}

}  // namespace

std::string wal_segment_name(uint64_t number) {
  return fmt::format("{:0{}}", number, kWalSegmentNameDigits);
}

fs::path wal_segment_path(const fs::path& dir, uint64_t number) {
  return dir / wal_segment_name(number);
}

fs::path wal_checkpoint_path(const fs::path& dir, uint64_t number) {
  return dir / (std::string(kWalCheckpointPrefix) + wal_segment_name(number));
}

Result<WalDirectoryListing> list_wal_directory(const fs::path& dir) {
  WalDirectoryListing listing;
  std::error_code error;
  if (!fs::exists(dir, error)) return listing;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (auto number = parse_segment_number(name)) {
      listing.segments.push_back(*number);
      continue;
    }
    if (!name.starts_with(kWalCheckpointPrefix)) continue;
    std::string_view rest = std::string_view(name).substr(kWalCheckpointPrefix.size());
    if (rest.ends_with(kWalTemporarySuffix)) {
      listing.temporary.push_back(it->path());
    } else if (auto number = parse_segment_number(rest)) {
      listing.checkpoints.push_back(*number);
    }
  }
  if (error) return Status::error(fmt::format("cannot list {}: {}", dir.string(), error.message()));
  std::sort(listing.segments.begin(), listing.segments.end());
  std::sort(listing.checkpoints.begin(), listing.checkpoints.end());
  return listing;
}

Result<std::vector<fs::path>> list_checkpoint_segments(const fs::path& checkpoint_dir) {
  std::vector<std::pair<uint64_t, fs::path>> numbered;
  std::error_code error;
  for (fs::directory_iterator it(checkpoint_dir, error), end; !error && it != end;
       it.increment(error)) {
    if (auto number = parse_segment_number(it->path().filename().string())) {
      numbered.emplace_back(*number, it->path());
    }
  }
  if (error) {
    return Status::error(
        fmt::format("cannot list {}: {}", checkpoint_dir.string(), error.message()));
  }
  std::sort(numbered.begin(), numbered.end());
  std::vector<fs::path> paths;
  paths.reserve(numbered.size());
  for (auto& [number, path] : numbered) paths.push_back(std::move(path));
  return paths;
}

uint64_t wal_disk_bytes(const fs::path& dir) {
  auto listing = list_wal_directory(dir);
  if (!listing.is_ok()) return 0;
  uint64_t total = 0;
  std::error_code error;
  for (uint64_t number : listing->segments) {
    const auto size = fs::file_size(wal_segment_path(dir, number), error);
    if (!error) total += size;
  }
  for (uint64_t number : listing->checkpoints) {
    auto files = list_checkpoint_segments(wal_checkpoint_path(dir, number));
    if (!files.is_ok()) continue;
    for (const auto& file : *files) {
      const auto size = fs::file_size(file, error);
      if (!error) total += size;
    }
  }
  return total;
}

Status sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return Status::error(fmt::format("cannot open directory {}: {}", dir.string(), errno_text()));
  }
  const int result = ::fsync(fd);
  const int fsync_errno = errno;
  ::close(fd);
  if (result != 0) {
    return Status::error(
        fmt::format("fsync of directory {}: {}", dir.string(), errno_text(fsync_errno)));
  }
  return Status::ok();
}

Status remove_path(const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::remove_all(path, error);
  if (error) {
    return Status::error(fmt::format("cannot remove {}: {}", path.string(), error.message()));
  }
  return Status::ok();
}

Result<OpenedSegment> open_wal_segment(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::error(
        fmt::format("cannot open WAL segment {}: {}", path.string(), errno_text()));
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int stat_errno = errno;
    ::close(fd);
    return Status::error(
        fmt::format("cannot stat WAL segment {}: {}", path.string(), errno_text(stat_errno)));
  }
  return OpenedSegment{fd, static_cast<uint64_t>(info.st_size)};
}

}  // namespace mc
