#include "common/store/head_chunk_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "common/util/crc32c.hpp"
#include "common/util/errno_text.hpp"
#include "common/util/logger.hpp"

namespace mc {

namespace fs = std::filesystem;

namespace {

// A segment starts with this magic; records follow, each 8-byte aligned:
//
//   u64 series | u64 prev location | i64 prev max_t | i64 min_t | i64 max_t
//   | u32 chunk length | chunk bytes | u32 CRC32C of everything before it
//
// in host byte order: the files never leave the process that wrote them.
constexpr std::array<uint8_t, 8> kMagic = {'M', 'C', 'H', 'E', 'A', 'D', 'C', '1'};
constexpr size_t kRecordHeaderBytes = 44;
constexpr size_t kCrcBytes = 4;
constexpr size_t kAlignment = 8;

std::string segment_name(uint32_t sequence) { return fmt::format("{:06}", sequence); }

bool is_segment_name(const std::string& name) {
  return name.size() == 6 &&
         std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

template <typename T>
void put(uint8_t* at, T value) {
  std::memcpy(at, &value, sizeof(value));
}

template <typename T>
T get(const uint8_t* at) {
  T value;
  std::memcpy(&value, at, sizeof(value));
  return value;
}

}  // namespace

class HeadChunkFile::Segment {
 public:
  Segment(uint32_t sequence, int fd, const uint8_t* base, size_t capacity, fs::path path)
      : sequence(sequence), fd(fd), base(base), capacity(capacity), path(std::move(path)) {}
  ~Segment() {
    ::munmap(const_cast<uint8_t*>(base), capacity);
    ::close(fd);
  }
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;

  const uint32_t sequence;
  const int fd;
  const uint8_t* const base;
  const size_t capacity;
  const fs::path path;  // empty for an anonymous memory file
  // Guarded by the HeadChunkFile's mutex.
  size_t used = kMagic.size();
  int64_t max_t = std::numeric_limits<int64_t>::min();
};

size_t HeadChunkFile::record_bytes(size_t chunk_bytes) {
  const size_t raw = kRecordHeaderBytes + chunk_bytes + kCrcBytes;
  return (raw + kAlignment - 1) / kAlignment * kAlignment;
}

Result<std::unique_ptr<HeadChunkFile>> HeadChunkFile::open(HeadChunkFileOptions options) {
  if (options.segment_bytes < kMagic.size() + record_bytes(0)) {
    return Status::error(
        fmt::format("head chunk segments of {} bytes cannot hold a chunk", options.segment_bytes));
  }
  if (options.segment_bytes > (uint64_t{1} << 32)) {
    return Status::error(
        fmt::format("head chunk segments of {} bytes: offsets are 32 bits, at most 4 GiB a segment",
                    options.segment_bytes));
  }
  if (!options.dir.empty()) {
    std::error_code error;
    fs::create_directories(options.dir, error);
    if (error) return Status::error(options.dir.string() + ": cannot create: " + error.message());
    for (fs::directory_iterator it(options.dir, error), end; !error && it != end;
         it.increment(error)) {
      if (!is_segment_name(it->path().filename().string())) continue;
      std::error_code remove_error;
      fs::remove(it->path(), remove_error);
      if (remove_error) {
        return Status::error(it->path().string() + ": cannot delete: " + remove_error.message());
      }
    }
    if (error) return Status::error(options.dir.string() + ": cannot read: " + error.message());
  }
  return std::unique_ptr<HeadChunkFile>(new HeadChunkFile(std::move(options)));
}

HeadChunkFile::~HeadChunkFile() = default;

Result<std::shared_ptr<HeadChunkFile::Segment>> HeadChunkFile::create_segment(uint32_t sequence) {
  fs::path path;
  int fd = -1;
  std::string where;
  if (options_.dir.empty()) {
    where = "head chunk memory file " + segment_name(sequence);
    fd = ::memfd_create("mc-head-chunks", MFD_CLOEXEC);
  } else {
    path = options_.dir / segment_name(sequence);
    where = path.string();
    fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  }
  if (fd < 0) return Status::error(where + ": cannot create: " + errno_text());
  auto fail = [&](const char* what) {
    Status status = Status::error(where + ": " + what + ": " + errno_text());
    ::close(fd);
    if (!path.empty()) ::unlink(path.c_str());
    return status;
  };
  if (::ftruncate(fd, static_cast<off_t>(options_.segment_bytes)) != 0) return fail("cannot size");
  if (::pwrite(fd, kMagic.data(), kMagic.size(), 0) != static_cast<ssize_t>(kMagic.size())) {
    return fail("cannot write");
  }
  void* base = ::mmap(nullptr, options_.segment_bytes, PROT_READ, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) return fail("cannot map");
  return std::make_shared<Segment>(sequence, fd, static_cast<const uint8_t*>(base),
                                   options_.segment_bytes, std::move(path));
}

Result<HeadChunkLocation> HeadChunkFile::write(SeriesRef series, HeadChunkLocation prev,
                                               int64_t prev_max_t, int64_t min_t, int64_t max_t,
                                               std::span<const uint8_t> bytes) {
  const size_t size = record_bytes(bytes.size());
  std::shared_ptr<Segment> segment;
  size_t offset = 0;
  {
    std::lock_guard lock(mutex_);
    if (size > options_.segment_bytes - kMagic.size()) {
      ++write_errors_;
      return Status::error(fmt::format("a head chunk of {} bytes does not fit a {}-byte segment",
                                       bytes.size(), options_.segment_bytes));
    }
    if (!current_ || current_->used + size > current_->capacity) {
      auto created = create_segment(next_sequence_);
      if (!created) {
        ++write_errors_;
        if (!failing_.exchange(true)) {
          log::error("cannot cut a head chunk segment", {{"err", created.error()}});
        }
        return created.status();
      }
      ++next_sequence_;
      current_ = std::move(*created);
      segments_.emplace(current_->sequence, current_);
    }
    segment = current_;
    offset = segment->used;
    segment->used += size;
    segment->max_t = std::max(segment->max_t, max_t);
  }

  std::array<uint8_t, kRecordHeaderBytes> header;
  put<uint64_t>(header.data(), series);
  put<uint64_t>(header.data() + 8, prev);
  put<int64_t>(header.data() + 16, prev_max_t);
  put<int64_t>(header.data() + 24, min_t);
  put<int64_t>(header.data() + 32, max_t);
  put<uint32_t>(header.data() + 40, static_cast<uint32_t>(bytes.size()));
  std::array<uint8_t, kCrcBytes + kAlignment> trailer{};
  put<uint32_t>(trailer.data(), crc32c(bytes, crc32c(header)));
  const size_t trailer_bytes = size - kRecordHeaderBytes - bytes.size();
  std::array<iovec, 3> pieces = {
      iovec{header.data(), header.size()},
      iovec{const_cast<uint8_t*>(bytes.data()), bytes.size()},
      iovec{trailer.data(), trailer_bytes},
  };
  const ssize_t written =
      ::pwritev(segment->fd, pieces.data(), pieces.size(), static_cast<off_t>(offset));
  if (written != static_cast<ssize_t>(size)) {
    // The reserved space stays a hole that no location refers to.
    const std::string why = written < 0 ? errno_text() : "short write";
    std::lock_guard lock(mutex_);
    ++write_errors_;
    Status status = Status::error(fmt::format("head chunk segment {}: cannot write {} bytes: {}",
                                              segment_name(segment->sequence), size, why));
    if (!failing_.exchange(true)) {
      log::error("cannot write a head chunk", {{"err", status.message()}});
    }
    return status;
  }
  if (failing_.load(std::memory_order_relaxed)) failing_.store(false);
  return (HeadChunkLocation{segment->sequence} << 32) | offset;
}

std::shared_ptr<const HeadChunkFile::Segment> HeadChunkFile::find_segment(uint32_t sequence) const {
  std::lock_guard lock(mutex_);
  auto it = segments_.find(sequence);
  if (it == segments_.end()) return nullptr;
  return it->second;
}

Result<HeadChunkRecord> HeadChunkFile::read(HeadChunkLocation location, SeriesRef series) const {
  return parse_record(find_segment(static_cast<uint32_t>(location >> 32)), location, series);
}

Result<HeadChunkRecord> HeadChunkFile::read(HeadChunkLocation location, SeriesRef series,
                                            const Pin& pin) const {
  const auto sequence = static_cast<uint32_t>(location >> 32);
  const auto found = std::lower_bound(pin.segments_.begin(), pin.segments_.end(), sequence,
                                      [](const std::shared_ptr<const Segment>& segment,
                                         uint32_t s) { return segment->sequence < s; });
  std::shared_ptr<const Segment> segment;
  if (found != pin.segments_.end() && (*found)->sequence == sequence) segment = *found;
  return parse_record(std::move(segment), location, series);
}

HeadChunkFile::Pin HeadChunkFile::pin() const {
  Pin pin;
  std::lock_guard lock(mutex_);
  pin.segments_.reserve(segments_.size());
  for (const auto& [sequence, segment] : segments_) pin.segments_.push_back(segment);
  pin.newest_sequence_ = next_sequence_ - 1;
  return pin;
}

Result<HeadChunkRecord> HeadChunkFile::parse_record(std::shared_ptr<const Segment> segment,
                                                    HeadChunkLocation location,
                                                    SeriesRef series) const {
  const auto sequence = static_cast<uint32_t>(location >> 32);
  const auto offset = static_cast<size_t>(location & 0xffffffffu);
  auto fail = [&](const std::string& why) {
    std::lock_guard lock(mutex_);
    ++read_errors_;
    return Status::error(fmt::format("head chunk segment {} offset {} (series {}): {}",
                                     segment_name(sequence), offset, series, why));
  };
  if (!segment) return fail("segment deleted or never written");
  if (offset < kMagic.size() || offset + kRecordHeaderBytes + kCrcBytes > segment->capacity) {
    return fail("offset out of the segment");
  }
  const uint8_t* at = segment->base + offset;
  const auto length = get<uint32_t>(at + 40);
  if (length > segment->capacity - offset - kRecordHeaderBytes - kCrcBytes) {
    return fail(fmt::format("chunk length {} runs past the segment", length));
  }
  const std::span<const uint8_t> header(at, kRecordHeaderBytes);
  const std::span<const uint8_t> bytes(at + kRecordHeaderBytes, length);
  if (crc32c(bytes, crc32c(header)) != get<uint32_t>(at + kRecordHeaderBytes + length)) {
    return fail("CRC mismatch");
  }
  HeadChunkRecord record;
  record.series = get<uint64_t>(at);
  if (record.series != series) return fail(fmt::format("record of series {}", record.series));
  record.prev = get<uint64_t>(at + 8);
  record.prev_max_t = get<int64_t>(at + 16);
  record.min_t = get<int64_t>(at + 24);
  record.max_t = get<int64_t>(at + 32);
  record.bytes = bytes;
  record.segment = std::move(segment);
  return record;
}

size_t HeadChunkFile::truncate(int64_t min_time) {
  std::vector<std::shared_ptr<Segment>> deleted;
  {
    std::lock_guard lock(mutex_);
    for (auto it = segments_.begin(); it != segments_.end();) {
      if (it->second != current_ && it->second->max_t < min_time) {
        deleted.push_back(std::move(it->second));
        it = segments_.erase(it);
      } else {
        ++it;
      }
    }
    segments_deleted_ += deleted.size();
  }
  // Unlinked outside the lock; readers holding a record keep the mapping.
  for (const auto& segment : deleted) {
    if (!segment->path.empty() && ::unlink(segment->path.c_str()) != 0) {
      log::error("cannot delete a head chunk segment",
                 {{"path", segment->path.string()}, {"err", errno_text()}});
    }
  }
  return deleted.size();
}

HeadChunkFileStats HeadChunkFile::stats() const {
  std::lock_guard lock(mutex_);
  HeadChunkFileStats stats;
  stats.segments = segments_.size();
  for (const auto& [sequence, segment] : segments_) stats.bytes += segment->used;
  stats.write_errors = write_errors_;
  stats.read_errors = read_errors_;
  stats.segments_deleted = segments_deleted_;
  return stats;
}

}  // namespace mc
