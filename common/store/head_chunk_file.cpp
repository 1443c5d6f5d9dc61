#include "common/store/head_chunk_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstddef>
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
// Gathered records are written once they reach this many bytes: one pwrite
// for ~400 chunks of a farm's ~150 bytes, where each had its own pwritev.
constexpr size_t kGatherBytes = size_t{64} << 10;

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
  // While writes fail, appends try again only once this many bytes are
  // gathered (another kGatherBytes), and readers copy without trying: a full
  // disk costs a failed pwrite per 64 KiB of chunks, not one per chunk.
  mutable size_t next_attempt_bytes = kGatherBytes;
  int64_t max_t = std::numeric_limits<int64_t>::min();
  // The records of [written, used), gathered but not yet in the file. Mutable,
  // as `written`: a reader holding the segment through a pin writes them out
  // (or copies one) under the HeadChunkFile's mutex.
  mutable std::vector<uint8_t> gathered;
  // The file holds every record that starts below this offset, so they are
  // read through the mapping without a lock. Stored under the mutex, after
  // the write (release); only grows.
  mutable std::atomic<size_t> written{kMagic.size()};
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
      if (!cut_failing_) {
        cut_failing_ = true;
        log::error("cannot cut a head chunk segment", {{"err", created.error()}});
      }
      return created.status();
    }
    // The full segment's last records go to its file before the new one's, and
    // its buffer goes (kept, with its records, if the write fails).
    if (current_ && flush_locked(*current_)) std::vector<uint8_t>().swap(current_->gathered);
    cut_failing_ = false;
    ++next_sequence_;
    current_ = std::move(*created);
    segments_.emplace(current_->sequence, current_);
  }
  Segment& segment = *current_;
  const size_t offset = segment.used;
  segment.used += size;
  segment.max_t = std::max(segment.max_t, max_t);

  std::vector<uint8_t>& out = segment.gathered;
  if (out.capacity() == 0) out.reserve(kGatherBytes + size);
  const size_t start = out.size();
  out.resize(start + size);
  uint8_t* at = out.data() + start;
  put<uint64_t>(at, series);
  put<uint64_t>(at + 8, prev);
  put<int64_t>(at + 16, prev_max_t);
  put<int64_t>(at + 24, min_t);
  put<int64_t>(at + 32, max_t);
  put<uint32_t>(at + 40, static_cast<uint32_t>(bytes.size()));
  if (!bytes.empty()) std::memcpy(at + kRecordHeaderBytes, bytes.data(), bytes.size());
  const size_t covered = kRecordHeaderBytes + bytes.size();
  put<uint32_t>(at + covered, crc32c(std::span<const uint8_t>(at, covered)));
  std::memset(at + covered + kCrcBytes, 0, size - covered - kCrcBytes);  // the padding

  if (out.size() >= segment.next_attempt_bytes) flush_all_locked();
  return (HeadChunkLocation{segment.sequence} << 32) | offset;
}

bool HeadChunkFile::flush_locked(const Segment& segment) const {
  std::vector<uint8_t>& gathered = segment.gathered;
  if (gathered.empty()) return true;
  const size_t offset = segment.written.load(std::memory_order_relaxed);
  size_t done = 0;
  while (done < gathered.size()) {
    const ssize_t n = ::pwrite(segment.fd, gathered.data() + done, gathered.size() - done,
                               static_cast<off_t>(offset + done));
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    // Everything stays gathered (a record partly written would read torn
    // through the mapping); the next attempt writes it all again.
    ++write_errors_;
    last_write_error_ = n < 0 ? errno_text() : std::string("wrote nothing");
    segment.next_attempt_bytes = gathered.size() + kGatherBytes;
    if (!write_failing_) {
      write_failing_ = true;
      log::error("cannot write head chunks; they stay in memory until a write succeeds",
                 {{"segment", segment.path.empty()
                                  ? "head chunk memory file " + segment_name(segment.sequence)
                                  : segment.path.string()},
                  {"bytes", std::to_string(gathered.size())},
                  {"err", last_write_error_}});
    }
    return false;
  }
  segment.written.store(offset + done, std::memory_order_release);
  gathered.clear();
  if (gathered.capacity() > 2 * kGatherBytes) gathered.shrink_to_fit();  // after a failing run
  segment.next_attempt_bytes = kGatherBytes;
  write_failing_ = false;
  return true;
}

Status HeadChunkFile::flush_all_locked() const {
  size_t unwritten = 0;
  const Segment* first_failed = nullptr;
  for (const auto& [sequence, segment] : segments_) {
    if (flush_locked(*segment)) continue;
    unwritten += segment->gathered.size();
    if (first_failed == nullptr) first_failed = segment.get();
  }
  if (first_failed == nullptr) return Status::ok();
  return Status::error(
      fmt::format("head chunk segment {}: cannot write {} bytes of chunks: {}; they stay in memory",
                  segment_name(first_failed->sequence), unwritten, last_write_error_));
}

Status HeadChunkFile::flush() {
  std::lock_guard lock(mutex_);
  return flush_all_locked();
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

Result<HeadChunkRecord> HeadChunkFile::read_failure(HeadChunkLocation location, SeriesRef series,
                                                    const std::string& why) const {
  std::lock_guard lock(mutex_);
  ++read_errors_;
  return Status::error(fmt::format("head chunk segment {} offset {} (series {}): {}",
                                   segment_name(static_cast<uint32_t>(location >> 32)),
                                   location & 0xffffffffu, series, why));
}

Result<HeadChunkRecord> HeadChunkFile::parse_record(std::shared_ptr<const Segment> segment,
                                                    HeadChunkLocation location,
                                                    SeriesRef series) const {
  const auto offset = static_cast<size_t>(location & 0xffffffffu);
  if (!segment) return read_failure(location, series, "segment deleted or never written");
  if (offset < kMagic.size() || offset + kRecordHeaderBytes + kCrcBytes > segment->capacity) {
    return read_failure(location, series, "offset out of the segment");
  }
  if (offset >= segment->written.load(std::memory_order_acquire)) {
    // Gathered, not in the file yet: write it out, or copy the record out of
    // memory when that fails.
    std::shared_ptr<std::vector<uint8_t>> copy;
    {
      std::lock_guard lock(mutex_);
      const size_t written = segment->written.load(std::memory_order_relaxed);
      // While writes fail, a reader copies without trying again (see
      // next_attempt_bytes): truncation reads every series' newest record.
      if (offset >= written && offset < segment->used &&
          (write_failing_ || !flush_locked(*segment))) {
        const std::vector<uint8_t>& gathered = segment->gathered;
        const size_t start = offset - written;
        size_t size = gathered.size() - start;
        if (start + kRecordHeaderBytes <= gathered.size()) {
          size = std::min(size, record_bytes(get<uint32_t>(gathered.data() + start + 40)));
        }
        copy = std::make_shared<std::vector<uint8_t>>(
            gathered.begin() + static_cast<std::ptrdiff_t>(start),
            gathered.begin() + static_cast<std::ptrdiff_t>(start + size));
      }
    }
    if (copy) {
      const uint8_t* at = copy->data();
      const size_t available = copy->size();
      return check_record(at, available, std::move(copy), location, series);
    }
  }
  const uint8_t* at = segment->base + offset;
  const size_t available = segment->capacity - offset;
  return check_record(at, available, std::move(segment), location, series);
}

Result<HeadChunkRecord> HeadChunkFile::check_record(const uint8_t* at, size_t available,
                                                    std::shared_ptr<const void> keep,
                                                    HeadChunkLocation location,
                                                    SeriesRef series) const {
  if (available < kRecordHeaderBytes + kCrcBytes) {
    return read_failure(location, series, "offset out of the segment");
  }
  const auto length = get<uint32_t>(at + 40);
  if (length > available - kRecordHeaderBytes - kCrcBytes) {
    return read_failure(location, series,
                        fmt::format("chunk length {} runs past the segment", length));
  }
  const std::span<const uint8_t> header(at, kRecordHeaderBytes);
  const std::span<const uint8_t> bytes(at + kRecordHeaderBytes, length);
  if (crc32c(bytes, crc32c(header)) != get<uint32_t>(at + kRecordHeaderBytes + length)) {
    return read_failure(location, series, "CRC mismatch");
  }
  HeadChunkRecord record;
  record.series = get<uint64_t>(at);
  if (record.series != series) {
    return read_failure(location, series, fmt::format("record of series {}", record.series));
  }
  record.prev = get<uint64_t>(at + 8);
  record.prev_max_t = get<int64_t>(at + 16);
  record.min_t = get<int64_t>(at + 24);
  record.max_t = get<int64_t>(at + 32);
  record.bytes = bytes;
  record.segment = std::move(keep);
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
  for (const auto& [sequence, segment] : segments_) {
    stats.bytes += segment->used;
    stats.unwritten_bytes += segment->gathered.size();
  }
  stats.write_errors = write_errors_;
  stats.read_errors = read_errors_;
  stats.segments_deleted = segments_deleted_;
  return stats;
}

}  // namespace mc
