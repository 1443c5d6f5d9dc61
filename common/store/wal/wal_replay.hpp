// Replay: streams every record of a WAL directory (the newest complete
// checkpoint, then the segments after it) to a handler, in the order written.
// Memory stays at one read buffer and one decoded record, whatever the size
// of the log.
//
// Damage, which is logged (segment path and byte offset) and counted, never an
// error:
// - the last segment ends in a torn or bad record (a crash mid-write): the
//   segment is truncated after its last good record, so the writer's next
//   segment follows good data;
// - a bad record in an earlier segment or in a checkpoint: the rest of that
//   file is skipped (its later records are lost) and replay goes on with the
//   next file.
// An error Status means the directory or a file could not be read at all.
//
// Call replay_wal before WalWriter::open on the same directory: the writer
// starts a new segment, after which a torn tail is no longer the last one.
//
// Thread-safety: the handler is called on the calling thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/store/wal/wal_record.hpp"
#include "common/util/status.hpp"

namespace mc {

class WalReplayHandler {
 public:
  virtual ~WalReplayHandler() = default;
  virtual void on_series(SeriesRef ref, const Labels& labels) = 0;
  virtual void on_metadata(SeriesRef ref, const MetricMetadata& metadata) = 0;
  // `samples` is valid during the call only.
  virtual void on_samples(std::span<const WalSample> samples) = 0;
};

struct WalDamage {
  std::filesystem::path path;
  uint64_t offset = 0;  // where the first unreadable record starts
  std::string problem;
  uint64_t bytes_lost = 0;  // from offset to the end of the file
  bool truncated = false;   // the file was cut at offset (last segment)
};

struct WalReplayStats {
  std::optional<uint64_t> checkpoint;  // number of the checkpoint replayed
  uint64_t files_read = 0;             // checkpoint files and segments
  uint64_t records = 0;
  uint64_t series = 0;
  uint64_t metadata = 0;
  uint64_t samples = 0;
  uint64_t bytes_read = 0;           // of good records
  uint64_t torn_tails_repaired = 0;  // last segment truncated after a torn record
  uint64_t corruptions = 0;          // bad records not at the tail of the log
  std::vector<WalDamage> damage;     // every problem, in replay order
};

struct WalReplayOptions {
  // Segments with higher numbers are left alone (a checkpoint reads up to here).
  uint64_t last_segment = std::numeric_limits<uint64_t>::max();
  // Truncate the last segment after its last good record.
  bool repair_torn_tail = true;
};

Result<WalReplayStats> replay_wal(const std::filesystem::path& dir, WalReplayHandler& handler,
                                  const WalReplayOptions& options = {});

}  // namespace mc
