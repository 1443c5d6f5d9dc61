#include "common/store/wal/wal_checkpoint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/store/wal/wal_batch.hpp"
#include "common/store/wal/wal_directory.hpp"
#include "common/store/wal/wal_format.hpp"
#include "common/store/wal/wal_replay.hpp"
#include "common/store/wal/wal_segment_file.hpp"
#include "common/util/logger.hpp"

namespace mc {

namespace fs = std::filesystem;

namespace {

// Receives the replayed records and writes the kept ones to segment files in
// `out_dir`, a commit-sized batch at a time.
class CheckpointBuilder final : public WalReplayHandler {
 public:
  CheckpointBuilder(fs::path out_dir, const std::function<bool(SeriesRef)>& keep_series,
                    int64_t min_time_ms, uint64_t segment_bytes, WalCheckpointStats& stats)
      : out_dir_(std::move(out_dir)),
        keep_series_(keep_series),
        min_time_ms_(min_time_ms),
        segment_bytes_(segment_bytes),
        stats_(stats) {}

  void on_series(SeriesRef ref, const Labels& labels) override {
    if (kept_.contains(ref)) return;  // also in the previous checkpoint
    if (!keep_series_(ref)) {
      ++stats_.series_dropped;
      return;
    }
    kept_.insert(ref);
    ++stats_.series_kept;
    batch_.log_series(ref, labels);
    flush_if_large();
  }

  void on_metadata(SeriesRef ref, const MetricMetadata& metadata) override {
    if (!kept_.contains(ref)) return;
    auto [distinct, inserted] =
        metadata_numbers_.emplace(metadata, static_cast<uint32_t>(metadata_by_number_.size()));
    if (inserted) metadata_by_number_.push_back(&distinct->first);
    latest_metadata_[ref] = distinct->second;
  }

  void on_samples(std::span<const WalSample> samples) override {
    for (const WalSample& sample : samples) {
      if (sample.t_ms >= min_time_ms_ && kept_.contains(sample.ref)) {
        batch_.log_sample(sample.ref, sample.t_ms, sample.v);
        ++stats_.samples_kept;
      } else {
        ++stats_.samples_dropped;
      }
    }
    flush_if_large();
  }

  // Writes the metadata, flushes and fsyncs everything.
  Status finish() {
    // In order of series: the same checkpoint from the same log.
    std::vector<std::pair<SeriesRef, uint32_t>> ordered(latest_metadata_.begin(),
                                                        latest_metadata_.end());
    latest_metadata_ = {};
    std::sort(ordered.begin(), ordered.end());
    for (const auto& [ref, number] : ordered) {
      batch_.log_metadata(ref, *metadata_by_number_[number]);
      ++stats_.metadata_kept;
      flush_if_large();
    }
    flush();
    if (status_.is_ok() && file_ != nullptr) status_ = file_->sync();
    if (status_.is_ok()) status_ = sync_directory(out_dir_);
    return status_;
  }

 private:
  void flush_if_large() {
    if (batch_.size_bytes() >= kWalRecordTargetPayloadBytes) flush();
  }

  void flush() {
    std::span<const uint8_t> bytes = batch_.finish();
    if (bytes.empty() || !status_.is_ok()) {
      batch_.clear();
      return;
    }
    if (file_ == nullptr || (file_->size() > 0 && file_->size() + bytes.size() > segment_bytes_)) {
      if (file_ != nullptr) status_ = file_->sync();
      if (!status_.is_ok()) return;
      auto opened = WalSegmentFile::open_for_append(wal_segment_path(out_dir_, next_file_++));
      if (!opened.is_ok()) {
        status_ = opened.status();
        return;
      }
      file_ = std::move(*opened);
    }
    status_ = file_->append(bytes);
    stats_.bytes_written += bytes.size();
    batch_.clear();
  }

  fs::path out_dir_;
  const std::function<bool(SeriesRef)>& keep_series_;
  int64_t min_time_ms_;
  uint64_t segment_bytes_;
  WalCheckpointStats& stats_;
  std::unordered_set<SeriesRef> kept_;
  // Each kept series' latest metadata, as a number into the distinct ones: a
  // MetricMetadata a series (its family, help and unit strings) was some 250 B
  // each, 40 MiB of RssAnon for the checkpoint after a 200,000-series cut,
  // the largest part of the cut's peak in the soak (bench/soak/README.md).
  std::unordered_map<SeriesRef, uint32_t> latest_metadata_;
  std::map<MetricMetadata, uint32_t> metadata_numbers_;
  std::vector<const MetricMetadata*> metadata_by_number_;  // into metadata_numbers_' keys
  WalBatch batch_;
  std::unique_ptr<WalSegmentFile> file_;
  uint64_t next_file_ = 0;
  Status status_;
};

}  // namespace

Result<WalCheckpointStats> write_wal_checkpoint(const fs::path& dir, uint64_t last_segment,
                                                const std::function<bool(SeriesRef)>& keep_series,
                                                int64_t min_time_ms, uint64_t segment_bytes) {
  WalCheckpointStats stats;
  auto listing = list_wal_directory(dir);
  if (!listing.is_ok()) return listing.status();
  uint64_t previous_checkpoint = 0;
  for (uint64_t number : listing->checkpoints) {
    if (number <= last_segment) previous_checkpoint = number;
  }
  for (uint64_t number : listing->segments) {
    if (number > previous_checkpoint && number <= last_segment) ++stats.segments_folded;
  }
  if (stats.segments_folded == 0) return stats;  // the newest checkpoint already covers it

  const fs::path final_dir = wal_checkpoint_path(dir, last_segment);
  const fs::path temporary_dir = final_dir.string() + std::string(kWalTemporarySuffix);
  if (Status removed = remove_path(temporary_dir); !removed.is_ok()) return removed;
  std::error_code error;
  fs::create_directory(temporary_dir, error);
  if (error) {
    return Status::error(
        fmt::format("cannot create {}: {}", temporary_dir.string(), error.message()));
  }

  CheckpointBuilder builder(temporary_dir, keep_series, min_time_ms, segment_bytes, stats);
  WalReplayOptions options;
  options.last_segment = last_segment;
  options.repair_torn_tail = false;  // segments below the writer's are complete
  auto replayed = replay_wal(dir, builder, options);
  if (!replayed.is_ok()) return replayed.status();
  stats.corruptions = replayed->corruptions;
  if (Status finished = builder.finish(); !finished.is_ok()) {
    remove_path(temporary_dir);
    return finished;
  }

  fs::rename(temporary_dir, final_dir, error);
  if (error) {
    return Status::error(fmt::format("cannot rename {} to {}: {}", temporary_dir.string(),
                                     final_dir.string(), error.message()));
  }
  if (Status synced = sync_directory(dir); !synced.is_ok()) return synced;

  // The checkpoint is durable: what it replaces can go.
  for (uint64_t number : listing->segments) {
    if (number > last_segment) continue;
    if (Status removed = remove_path(wal_segment_path(dir, number)); !removed.is_ok()) {
      return removed;
    }
  }
  for (uint64_t number : listing->checkpoints) {
    if (number >= last_segment) continue;
    if (Status removed = remove_path(wal_checkpoint_path(dir, number)); !removed.is_ok()) {
      return removed;
    }
  }
  if (Status synced = sync_directory(dir); !synced.is_ok()) return synced;
  stats.number = last_segment;
  log::info("WAL checkpoint written", {{"checkpoint", final_dir.string()},
                                       {"segments_folded", stats.segments_folded},
                                       {"series_kept", stats.series_kept},
                                       {"samples_kept", stats.samples_kept},
                                       {"samples_dropped", stats.samples_dropped}});
  return stats;
}

}  // namespace mc
