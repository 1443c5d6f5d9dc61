#include "common/store/store_recovery.hpp"

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "common/util/logger.hpp"

namespace mc {

namespace fs = std::filesystem;

namespace {

// Replays the WAL into the head: series under their logged refs (or the ref
// the head maps them to), samples newer than what blocks hold.
class HeadRestorer final : public WalReplayHandler {
 public:
  explicit HeadRestorer(HeadStorage& head) : head_(head) {}

  void on_series(SeriesRef ref, const Labels& labels) override {
    const SeriesRef restored = head_.restore_series(ref, labels);
    if (restored != ref) {
      renamed_[ref] = restored;
    } else {
      renamed_.erase(ref);
    }
  }
  void on_metadata(SeriesRef ref, const MetricMetadata& metadata) override {
    head_.restore_metadata(map(ref), metadata);
  }
  void on_samples(std::span<const WalSample> samples) override {
    const int64_t min_valid = head_.min_valid_time();
    for (const WalSample& sample : samples) {
      if (sample.t_ms < min_valid) {
        ++in_blocks_;
        continue;
      }
      if (head_.restore_sample(map(sample.ref), sample.t_ms, sample.v)) {
        ++restored_;
      } else {
        ++skipped_;
      }
    }
  }

  uint64_t restored() const { return restored_; }
  uint64_t skipped() const { return skipped_; }
  uint64_t in_blocks() const { return in_blocks_; }

 private:
  SeriesRef map(SeriesRef ref) const {
    if (renamed_.empty()) return ref;
    auto it = renamed_.find(ref);
    return it == renamed_.end() ? ref : it->second;
  }

  HeadStorage& head_;
  std::unordered_map<SeriesRef, SeriesRef> renamed_;
  uint64_t restored_ = 0;
  uint64_t skipped_ = 0;
  uint64_t in_blocks_ = 0;
};

// The block directories to open, sorted; removes those a crash left behind.
Result<std::vector<fs::path>> block_dirs_to_open(const fs::path& blocks_dir) {
  std::error_code error;
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(blocks_dir, error)) {
    if (!entry.is_directory()) continue;
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".tmp") || name.ends_with(".deleted")) {
      // A block a crash left half written, or half deleted: never complete.
      fs::remove_all(entry.path(), error);
      continue;
    }
    dirs.push_back(entry.path());
  }
  if (error) return Status::error(blocks_dir.string() + ": " + error.message());
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

}  // namespace

Result<RecoveredBlocks> recover_blocks(const fs::path& store_dir) {
  auto dirs = block_dirs_to_open(store_dir / "blocks");
  if (!dirs) return dirs.status();
  RecoveredBlocks recovered;
  for (const auto& path : *dirs) {
    // Every CRC is checked at open, data included: a store serves what it can
    // vouch for, and reading a sidecar's blocks once at start is cheap.
    auto reader = block::BlockReader::open(path.string());
    if (!reader) {
      set_aside_block(store_dir, path, reader.error());
      ++recovered.set_aside;
      continue;
    }
    if (Status verified = (*reader)->verify(); !verified) {
      reader->reset();
      set_aside_block(store_dir, path, verified.message());
      ++recovered.set_aside;
      continue;
    }
    if ((*reader)->meta().resolution_ms == 0) {
      recovered.raw_max_time = std::max(recovered.raw_max_time.value_or((*reader)->meta().max_time),
                                        (*reader)->meta().max_time);
    }
    recovered.blocks.push_back(std::move(*reader));
  }
  return recovered;
}

void set_aside_block(const fs::path& store_dir, const fs::path& block_dir,
                     const std::string& reason) {
  const fs::path corrupt_dir = store_dir / "corrupt";
  std::error_code error;
  fs::create_directories(corrupt_dir, error);
  fs::path target = corrupt_dir / block_dir.filename();
  for (int n = 1; fs::exists(target); ++n) {
    target = corrupt_dir / (block_dir.filename().string() + "." + std::to_string(n));
  }
  fs::rename(block_dir, target, error);
  log::error(
      "block is damaged; set aside, the rest of the store serves",
      {{"block", block_dir.string()},
       {"moved_to", error ? std::string("(not moved: ") + error.message() + ")" : target.string()},
       {"err", reason}});
}

Result<uint64_t> replay_wal_into_head(const fs::path& wal_dir, HeadStorage& head,
                                      const WalReplayOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  HeadRestorer restorer(head);
  auto replayed = replay_wal(wal_dir, restorer, options);
  if (!replayed) return replayed.status();
  for (const WalDamage& damage : replayed->damage) {
    log::warn("write-ahead log damaged", {{"file", damage.path.string()},
                                          {"offset", damage.offset},
                                          {"problem", damage.problem},
                                          {"bytes_lost", damage.bytes_lost},
                                          {"truncated", damage.truncated ? "true" : "false"}});
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  log::info("replayed the write-ahead log", {{"dir", wal_dir.string()},
                                             {"series", replayed->series},
                                             {"samples", restorer.restored()},
                                             {"samples_in_blocks", restorer.in_blocks()},
                                             {"duration_seconds", seconds}});
  return replayed->torn_tails_repaired + replayed->corruptions;
}

}  // namespace mc
