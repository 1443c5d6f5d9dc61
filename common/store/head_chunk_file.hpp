// HeadChunkFile: where the head's sealed chunks live once they stop growing,
// so that the head's anonymous memory is bounded by its series, not by how
// much time it spans (Prometheus's chunks_head/ since 2.19).
//
// Chunks are appended to segment files of a fixed maximum size, written with
// pwrite (never through the mapping: a full disk would be a SIGBUS there) and
// read through a read-only shared mapping of the whole segment, so the kernel
// can drop their pages at will (RssFile, not RssAnon). Without a directory
// the segments are anonymous memory files (memfd_create): the same code path,
// nothing on disk.
//
// Records are gathered in memory and written some 64 KiB at a time: a scrape
// of 1,000 series seals ~8 chunks, and one system call each was ~4% of the
// daemon's CPU. A reader asking for a record not yet written writes the
// gathered ones first; if that write fails (a full disk), the records stay in
// memory, are read from there, and are written by a later attempt: a failed
// write loses nothing.
//
// Each record carries the location and max time of the same series' previous
// sealed chunk, so a series keeps only its newest chunk's location on the heap
// and a reader walks the chain back (through the mappings, or the gathered
// records for the newest ones). A reader must stop
// before a chunk that truncate() may have deleted: it decides from the max
// time the newer record stored for it, never by reading it.
//
// The files are not durable state: open() deletes segments left in the
// directory, and the head rebuilds them from the WAL.
//
// Thread-safety: every method may be called from any thread. A HeadChunkRecord
// keeps its segment mapped after truncate() deleted the segment.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "common/store/appender.hpp"
#include "common/util/status.hpp"

namespace mc {

// Where a chunk record starts: the segment's sequence number (from 1) in the
// high 32 bits, the byte offset in the low 32. 0 is no chunk.
using HeadChunkLocation = uint64_t;

struct HeadChunkFileOptions {
  // Empty: anonymous memory files.
  std::filesystem::path dir;
  // A segment's size; a chunk record larger than this cannot be written.
  size_t segment_bytes = size_t{128} << 20;
};

// One chunk as read; `segment` keeps `bytes` alive: the mapping, or a copy of
// a record not yet written to its file.
struct HeadChunkRecord {
  std::shared_ptr<const void> segment;
  std::span<const uint8_t> bytes;  // the chunk, chunkenc header included
  SeriesRef series = 0;
  HeadChunkLocation prev = 0;  // the series' previous sealed chunk; 0 none
  int64_t prev_max_t = 0;      // its newest sample's time
  int64_t min_t = 0;
  int64_t max_t = 0;
};

struct HeadChunkFileStats {
  uint64_t segments = 0;  // held now
  uint64_t bytes = 0;     // of the records in the held segments, gathered ones included
  // Since open: records too large, segments that could not be cut, failed
  // attempts to write gathered records.
  uint64_t write_errors = 0;
  uint64_t unwritten_bytes = 0;  // records gathered in memory, not yet in a file
  uint64_t read_errors = 0;      // records that failed their bounds or CRC check
  uint64_t segments_deleted = 0;
};

class HeadChunkFile {
 public:
  class Segment;

  // The segments held at one moment. A reader that takes it while the chains
  // it will walk are current (under the lock of the series that own them)
  // reads those records later without any lock (but for records not yet
  // written to their file), even if truncate() deletes their segments
  // meanwhile: a query walks its series' chains after releasing their stripe
  // locks, so appends do not wait on its page faults.
  class Pin {
   public:
    Pin() = default;
    // Whether the pin holds every segment of a chain whose newest record is
    // at `newest`, for a chain copied after the pin was taken: its segments
    // were all there when the pin was (segments are numbered as created and
    // a deleted one is never referred to again).
    bool covers(HeadChunkLocation newest) const {
      return static_cast<uint32_t>(newest >> 32) <= newest_sequence_;
    }

   private:
    friend class HeadChunkFile;
    std::vector<std::shared_ptr<const Segment>> segments_;  // by sequence number
    uint32_t newest_sequence_ = 0;  // of the newest segment created before the pin
  };

  // Creates `options.dir` when missing and deletes segments left in it.
  static Result<std::unique_ptr<HeadChunkFile>> open(HeadChunkFileOptions options);
  ~HeadChunkFile();
  HeadChunkFile(const HeadChunkFile&) = delete;
  HeadChunkFile& operator=(const HeadChunkFile&) = delete;

  // Appends the chunk `bytes` of `series` holding samples in [min_t, max_t],
  // after `prev` (the series' previous chunk, 0 for none, whose newest sample
  // is at `prev_max_t`). Fails when the segment cannot be created or the
  // record does not fit a segment; nothing refers to a failed write. A record
  // that could not be written to its file yet is still readable (see above).
  Result<HeadChunkLocation> write(SeriesRef series, HeadChunkLocation prev, int64_t prev_max_t,
                                  int64_t min_t, int64_t max_t, std::span<const uint8_t> bytes);

  // Writes the records gathered in memory to their files now; an error names
  // the segment and why (they stay in memory, readable, for a later attempt).
  Status flush();

  // Reads the record at `location`, checking its bounds, its CRC and that it
  // belongs to `series`. REQUIRES: truncate() has not deleted its segment
  // (else the error says the segment is gone).
  Result<HeadChunkRecord> read(HeadChunkLocation location, SeriesRef series) const;
  // The same from a pin taken while `location` was a current chain's: no lock
  // taken for a record in its file, the pin keeps the segment (REQUIRES:
  // `pin` outlives the record's use or the record is copied, which keeps its
  // own reference).
  Result<HeadChunkRecord> read(HeadChunkLocation location, SeriesRef series, const Pin& pin) const;

  // The segments held now; a few shared pointers (one per 128 MiB written).
  Pin pin() const;

  // Deletes every segment but the one being written whose chunks all end
  // before `min_time`; returns how many. Chunk records handed out keep theirs
  // mapped until released.
  size_t truncate(int64_t min_time);

  HeadChunkFileStats stats() const;
  // Where segments go; empty for anonymous memory files.
  const std::filesystem::path& dir() const { return options_.dir; }

  // The size of a record holding `chunk_bytes`, as written (header, chunk,
  // CRC, padding).
  static size_t record_bytes(size_t chunk_bytes);

 private:
  explicit HeadChunkFile(HeadChunkFileOptions options) : options_(std::move(options)) {}
  Result<std::shared_ptr<Segment>> create_segment(uint32_t sequence);
  std::shared_ptr<const Segment> find_segment(uint32_t sequence) const;
  Result<HeadChunkRecord> parse_record(std::shared_ptr<const Segment> segment,
                                       HeadChunkLocation location, SeriesRef series) const;
  // Checks and decodes the record at `at`, of which `available` bytes may be
  // read; `keep` keeps them alive.
  Result<HeadChunkRecord> check_record(const uint8_t* at, size_t available,
                                       std::shared_ptr<const void> keep, HeadChunkLocation location,
                                       SeriesRef series) const;
  Result<HeadChunkRecord> read_failure(HeadChunkLocation location, SeriesRef series,
                                       const std::string& why) const;
  // Writes `segment`'s gathered records to its file; false (counted, logged
  // once a run) when that fails. REQUIRES: mutex_ held. A write stalls the
  // seals and the readers of unwritten records for its time: one 64 KiB
  // pwrite, where each seal used to hold its stripe lock over a pwritev.
  bool flush_locked(const Segment& segment) const;
  // The same for every segment holding gathered records. REQUIRES: mutex_ held.
  Status flush_all_locked() const;

  HeadChunkFileOptions options_;
  mutable std::mutex mutex_;
  std::map<uint32_t, std::shared_ptr<Segment>> segments_;  // by sequence number
  std::shared_ptr<Segment> current_;                       // being written
  uint32_t next_sequence_ = 1;
  mutable uint64_t write_errors_ = 0;
  mutable uint64_t read_errors_ = 0;
  uint64_t segments_deleted_ = 0;
  // Each logs the first of a run of failures only.
  bool cut_failing_ = false;
  mutable bool write_failing_ = false;
  mutable std::string last_write_error_;  // why the last write of gathered records failed
};

}  // namespace mc
