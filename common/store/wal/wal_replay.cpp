#include "common/store/wal/wal_replay.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "common/store/wal/wal_directory.hpp"
#include "common/store/wal/wal_segment_reader.hpp"
#include "common/util/errno_text.hpp"
#include "common/util/logger.hpp"

namespace mc {

namespace fs = std::filesystem;

namespace {

enum class TailMode { skip_rest, truncate };

Status truncate_file(const fs::path& path, uint64_t size) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return Status::error(fmt::format("cannot open {}: {}", path.string(), errno_text()));
  int result = ::ftruncate(fd, static_cast<off_t>(size));
  if (result == 0) result = ::fsync(fd);
  const int saved_errno = errno;
  ::close(fd);
  if (result != 0) {
    return Status::error(fmt::format("cannot truncate {} to {} bytes: {}", path.string(), size,
                                     errno_text(saved_errno)));
  }
  return Status::ok();
}

class FileReplayer {
 public:
  FileReplayer(WalReplayHandler& handler, WalReplayStats& stats)
      : handler_(handler), stats_(stats) {}

  Status replay(const fs::path& path, TailMode tail_mode) {
    auto reader = WalSegmentReader::open(path);
    if (!reader.is_ok()) return reader.status();
    ++stats_.files_read;
    WalSegmentReader& in = **reader;
    WalSegmentReader::Outcome outcome;
    while ((outcome = in.next()) == WalSegmentReader::Outcome::record) {
      Status decoded = dispatch(in.type(), in.payload());
      if (!decoded.is_ok()) {
        // The CRC matched, so the writer wrote it so: treat as damage all the same.
        return report(in, WalSegmentReader::Outcome::corrupt, decoded.message(), in.record_offset(),
                      tail_mode);
      }
      ++stats_.records;
      stats_.bytes_read += in.good_end() - in.record_offset();
    }
    if (outcome == WalSegmentReader::Outcome::end) return Status::ok();
    return report(in, outcome, in.problem(), in.problem_offset(), tail_mode);
  }

 private:
  Status dispatch(WalRecordType type, std::span<const uint8_t> payload) {
    switch (type) {
      // A record is handed over whole or not at all: a payload that turns out
      // malformed halfway must not have passed its first entries to the
      // handler, since replay then counts the record as lost (and a repair
      // truncates it away). Found by tests/fuzz wal_replay.
      case WalRecordType::series: {
        series_.clear();
        Status status = decode_wal_series_payload(payload, [&](SeriesRef ref, Labels labels) {
          series_.emplace_back(ref, std::move(labels));
        });
        if (!status.is_ok()) return status;
        for (const auto& [ref, labels] : series_) {
          ++stats_.series;
          handler_.on_series(ref, labels);
        }
        return Status::ok();
      }
      case WalRecordType::metadata: {
        metadata_.clear();
        Status status =
            decode_wal_metadata_payload(payload, [&](SeriesRef ref, MetricMetadata metadata) {
              metadata_.emplace_back(ref, std::move(metadata));
            });
        if (!status.is_ok()) return status;
        for (const auto& [ref, metadata] : metadata_) {
          ++stats_.metadata;
          handler_.on_metadata(ref, metadata);
        }
        return Status::ok();
      }
      case WalRecordType::samples: {
        Status status = decode_wal_samples_payload(payload, samples_);
        if (!status.is_ok()) return status;
        stats_.samples += samples_.size();
        handler_.on_samples(samples_);
        return Status::ok();
      }
    }
    return Status::error("unknown record type");
  }

  Status report(const WalSegmentReader& in, WalSegmentReader::Outcome outcome,
                const std::string& problem, uint64_t offset, TailMode tail_mode) {
    WalDamage damage{in.path(), offset, problem, in.file_size() - offset, false};
    const bool torn = outcome == WalSegmentReader::Outcome::torn;
    if (tail_mode == TailMode::truncate) {
      log::warn(torn ? "WAL ends in a torn record; truncating the last segment after its last "
                       "good record"
                     : "corrupt record in the last WAL segment; truncating it there, later "
                       "records of the segment are lost",
                {{"segment", in.path().string()},
                 {"offset", offset},
                 {"problem", problem},
                 {"bytes_dropped", damage.bytes_lost}});
      Status truncated = truncate_file(in.path(), offset);
      if (!truncated.is_ok()) return truncated;
      damage.truncated = true;
      if (torn) {
        ++stats_.torn_tails_repaired;
      } else {
        ++stats_.corruptions;
      }
    } else {
      log::error("corrupt WAL file; skipping the rest of it, its later records are lost",
                 {{"segment", in.path().string()},
                  {"offset", offset},
                  {"problem", problem},
                  {"bytes_skipped", damage.bytes_lost}});
      ++stats_.corruptions;
    }
    stats_.damage.push_back(std::move(damage));
    return Status::ok();
  }

  WalReplayHandler& handler_;
  WalReplayStats& stats_;
  std::vector<WalSample> samples_;                              // reused across records
  std::vector<std::pair<SeriesRef, Labels>> series_;            // one record's, reused
  std::vector<std::pair<SeriesRef, MetricMetadata>> metadata_;  // one record's, reused
};

}  // namespace

Result<WalReplayStats> replay_wal(const fs::path& dir, WalReplayHandler& handler,
                                  const WalReplayOptions& options) {
  WalReplayStats stats;
  auto listing = list_wal_directory(dir);
  if (!listing.is_ok()) return listing.status();
  FileReplayer replayer(handler, stats);

  uint64_t first_segment = 0;
  for (auto it = listing->checkpoints.rbegin(); it != listing->checkpoints.rend(); ++it) {
    if (*it > options.last_segment) continue;
    stats.checkpoint = *it;
    first_segment = *it + 1;
    auto files = list_checkpoint_segments(wal_checkpoint_path(dir, *it));
    if (!files.is_ok()) return files.status();
    for (const fs::path& file : *files) {
      Status status = replayer.replay(file, TailMode::skip_rest);
      if (!status.is_ok()) return status;
    }
    break;
  }

  std::vector<uint64_t> segments;
  for (uint64_t number : listing->segments) {
    if (number >= first_segment && number <= options.last_segment) segments.push_back(number);
  }
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0 && segments[i] != segments[i - 1] + 1) {
      log::error("WAL segments missing; records between them are lost",
                 {{"dir", dir.string()},
                  {"after", wal_segment_name(segments[i - 1])},
                  {"before", wal_segment_name(segments[i])}});
      ++stats.corruptions;
      stats.damage.push_back(
          {wal_segment_path(dir, segments[i]), 0,
           fmt::format("segments {} to {} are missing", segments[i - 1] + 1, segments[i] - 1), 0,
           false});
    }
    const bool last = i + 1 == segments.size();
    Status status = replayer.replay(
        wal_segment_path(dir, segments[i]),
        last && options.repair_torn_tail ? TailMode::truncate : TailMode::skip_rest);
    if (!status.is_ok()) return status;
  }
  return stats;
}

}  // namespace mc
