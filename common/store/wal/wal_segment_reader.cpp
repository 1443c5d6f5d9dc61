#include "common/store/wal/wal_segment_reader.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/store/wal/wal_directory.hpp"
#include "common/util/crc32c.hpp"
#include "common/util/errno_text.hpp"

namespace mc {

namespace {

constexpr size_t kReadChunkBytes = 1 << 20;

uint32_t load_u32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

}  // namespace

Result<std::unique_ptr<WalSegmentReader>> WalSegmentReader::open(
    const std::filesystem::path& path) {
  auto opened = open_wal_segment(path, O_RDONLY);
  if (!opened) return opened.status();
  // Sequential reads: let the kernel read ahead aggressively and drop pages
  // behind us.
  ::posix_fadvise(opened->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::unique_ptr<WalSegmentReader>(new WalSegmentReader(path, opened->fd, opened->size));
}

WalSegmentReader::WalSegmentReader(std::filesystem::path path, int fd, uint64_t file_size)
    : path_(std::move(path)), fd_(fd), file_size_(file_size) {}

WalSegmentReader::~WalSegmentReader() { ::close(fd_); }

bool WalSegmentReader::fill(size_t n) {
  const auto start = static_cast<size_t>(good_end_ - buffer_file_offset_);
  if (start + n <= buffer_bytes_) return true;
  // Keep the unread tail, move it to the front, read more behind it.
  const size_t kept = buffer_bytes_ - start;
  if (buffer_.size() < std::max(n, kReadChunkBytes)) {
    std::vector<uint8_t> larger(std::max(n, kReadChunkBytes));
    std::copy_n(buffer_.begin() + static_cast<ptrdiff_t>(start), kept, larger.begin());
    buffer_ = std::move(larger);
  } else {
    std::memmove(buffer_.data(), buffer_.data() + start, kept);
  }
  buffer_file_offset_ = good_end_;
  buffer_bytes_ = kept;
  while (buffer_bytes_ < n) {
    const ssize_t got = ::pread(fd_, buffer_.data() + buffer_bytes_, buffer_.size() - buffer_bytes_,
                                static_cast<off_t>(buffer_file_offset_ + buffer_bytes_));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      problem_ = got < 0 ? fmt::format("read error: {}", errno_text())
                         : std::string("file shrank while being read");
      return false;
    }
    buffer_bytes_ += static_cast<size_t>(got);
  }
  return true;
}

WalSegmentReader::Outcome WalSegmentReader::fail(Outcome outcome, std::string problem) {
  problem_ = std::move(problem);
  return outcome;
}

WalSegmentReader::Outcome WalSegmentReader::next() {
  if (good_end_ == file_size_) return Outcome::end;
  const uint64_t left = file_size_ - good_end_;
  if (left < kWalRecordHeaderBytes) {
    return fail(Outcome::torn, fmt::format("{} bytes left, less than a record header", left));
  }
  if (!fill(kWalRecordHeaderBytes)) return Outcome::corrupt;
  const uint8_t* header = buffer_.data() + (good_end_ - buffer_file_offset_);
  if (!is_wal_record_type(header[0])) {
    return fail(Outcome::corrupt, fmt::format("unknown record type {}", header[0]));
  }
  const uint32_t length = load_u32(header + 1);
  if (length > kWalRecordMaxPayloadBytes) {
    return fail(Outcome::corrupt, fmt::format("record length {} is impossible", length));
  }
  const uint64_t record_bytes = kWalRecordHeaderBytes + uint64_t{length} + kWalRecordTrailerBytes;
  if (record_bytes > left) {
    return fail(Outcome::torn, fmt::format("record of {} bytes runs past the end of the file "
                                           "({} bytes left)",
                                           record_bytes, left));
  }
  if (!fill(static_cast<size_t>(record_bytes))) return Outcome::corrupt;
  const uint8_t* record = buffer_.data() + (good_end_ - buffer_file_offset_);
  const uint32_t stored_crc = load_u32(record + kWalRecordHeaderBytes + length);
  const uint32_t actual_crc =
      crc32c(std::span<const uint8_t>(record, kWalRecordHeaderBytes + length));
  if (stored_crc != actual_crc) {
    // The last record of a file with a bad CRC is what a crash mid-write
    // leaves; a bad CRC with records after it is damage.
    return fail(
        record_bytes == left ? Outcome::torn : Outcome::corrupt,
        fmt::format("CRC mismatch (stored {:08x}, computed {:08x})", stored_crc, actual_crc));
  }
  type_ = static_cast<WalRecordType>(record[0]);
  payload_ = std::span<const uint8_t>(record + kWalRecordHeaderBytes, length);
  record_offset_ = good_end_;
  good_end_ += record_bytes;
  return Outcome::record;
}

}  // namespace mc
