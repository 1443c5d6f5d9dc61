// Checkpoint: folds the WAL segments up to a number, and the checkpoint
// before them, into checkpoint.<number>/, keeping only what the head still
// needs after a block was cut: series records of kept series, the latest
// metadata of each, and their samples at or after min_time_ms. Then deletes
// what it replaced. Replay starts from the newest checkpoint, so the log stays
// as small as the head.
//
// Crash safety: written under checkpoint.<number>.tmp/, fsynced, renamed
// (atomic), then old files deleted. A crash at any point leaves either the old
// files or the new checkpoint complete; leftovers are ignored by replay and
// removed by WalWriter::open.
//
// Order in the checkpoint: series and samples in their original order (a
// series record still precedes its samples), the latest metadata last.
// Samples whose series record was not seen (lost to corruption) are dropped:
// replay could not place them either.
//
// Thread-safety: call for one directory from one thread at a time; the writer
// may append to segments above `last_segment` meanwhile (WalWriter::checkpoint
// does both right).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

#include "common/store/appender.hpp"
#include "common/util/status.hpp"

namespace mc {

struct WalCheckpointStats {
  uint64_t number = 0;  // checkpoint.<number> written; 0 when there was nothing to fold
  uint64_t segments_folded = 0;
  uint64_t series_kept = 0;
  uint64_t series_dropped = 0;
  uint64_t metadata_kept = 0;
  uint64_t samples_kept = 0;
  uint64_t samples_dropped = 0;
  uint64_t bytes_written = 0;
  uint64_t corruptions = 0;  // bad records met while reading (logged by replay)
};

Result<WalCheckpointStats> write_wal_checkpoint(const std::filesystem::path& dir,
                                                uint64_t last_segment,
                                                const std::function<bool(SeriesRef)>& keep_series,
                                                int64_t min_time_ms, uint64_t segment_bytes);

}  // namespace mc
