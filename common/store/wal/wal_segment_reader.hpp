// WalSegmentReader: reads the records of one segment file front to back
// through a bounded buffer (1 MiB, or one record when a record is larger),
// checking each record's frame and CRC. It says where a segment stops being
// readable and why; what to do about it (truncate, skip) is replay's call.
//
// Use:
//   while ((outcome = reader->next()) == WalSegmentReader::Outcome::record) {
//     use reader->type(), reader->payload()   // valid until the next call
//   }
//   outcome end: clean end; torn: the last record runs past the end of the
//   file; corrupt: a bad type, length or CRC at problem_offset().
//
// Thread-safety: none; one reader per thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/store/wal/wal_format.hpp"
#include "common/util/status.hpp"

namespace mc {

class WalSegmentReader {
 public:
  enum class Outcome { record, end, torn, corrupt };

  static Result<std::unique_ptr<WalSegmentReader>> open(const std::filesystem::path& path);
  ~WalSegmentReader();
  WalSegmentReader(const WalSegmentReader&) = delete;
  WalSegmentReader& operator=(const WalSegmentReader&) = delete;

  Outcome next();

  // REQUIRES: the last next() returned record.
  WalRecordType type() const { return type_; }
  std::span<const uint8_t> payload() const { return payload_; }
  uint64_t record_offset() const { return record_offset_; }

  // The byte after the last good record: where a repair truncates.
  uint64_t good_end() const { return good_end_; }
  // After torn or corrupt: where the bad record starts, and what is wrong.
  uint64_t problem_offset() const { return good_end_; }
  const std::string& problem() const { return problem_; }
  uint64_t file_size() const { return file_size_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  WalSegmentReader(std::filesystem::path path, int fd, uint64_t file_size);
  // Makes the `n` bytes at file offset good_end_ readable in the buffer;
  // false on a read error (problem_ set).
  bool fill(size_t n);
  Outcome fail(Outcome outcome, std::string problem);

  std::filesystem::path path_;
  int fd_;
  uint64_t file_size_;
  std::vector<uint8_t> buffer_;
  uint64_t buffer_file_offset_ = 0;  // file offset of buffer_[0]
  size_t buffer_bytes_ = 0;          // valid bytes in buffer_
  uint64_t good_end_ = 0;
  uint64_t record_offset_ = 0;
  WalRecordType type_ = WalRecordType::series;
  std::span<const uint8_t> payload_;
  std::string problem_;
};

}  // namespace mc
