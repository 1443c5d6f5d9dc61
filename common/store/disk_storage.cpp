#include "common/store/disk_storage.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <unordered_map>

#include "common/store/block/block_querier.hpp"
#include "common/store/downsampled_querier.hpp"
#include "common/store/merge_querier.hpp"
#include "common/store/tiering/downsampled_columns.hpp"
#include "common/store/wal/wal_batch.hpp"
#include "common/store/wal/wal_replay.hpp"
#include "common/util/aligned_window.hpp"
#include "common/util/errno_text.hpp"
#include "common/util/logger.hpp"
#include "common/util/wall_clock.hpp"

namespace mc {

namespace fs = std::filesystem;

namespace {

constexpr int64_t kMinTime = std::numeric_limits<int64_t>::min();
constexpr int64_t kMaxTime = std::numeric_limits<int64_t>::max();

}  // namespace

// Hands each head commit to the WAL. The head serialises calls, so one batch
// buffer serves every commit.
class DiskStorage::WalLog final : public CommitLog {
 public:
  explicit WalLog(WalWriter& wal) : wal_(wal) {}

  Status log_commit(const CommitBatch& commit) override {
    for (const auto& series : commit.series) batch_.log_series(series.ref, *series.labels);
    for (const auto& metadata : commit.metadata)
      batch_.log_metadata(metadata.ref, *metadata.metadata);
    for (const auto& sample : commit.samples) batch_.log_sample(sample.ref, sample.t_ms, sample.v);
    auto sequence = wal_.commit(batch_);
    if (!sequence) return sequence.status();
    return Status::ok();
  }

 private:
  WalWriter& wal_;
  WalBatch batch_;
};

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

}  // namespace

DiskStorage::DiskStorage(DiskStorageOptions options) : options_(std::move(options)) {
  if (!options_.clock) options_.clock = wall_clock_ms;
  // Head chunks end on block boundaries, so cutting a block drops whole chunks.
  options_.head.chunk_max_duration_ms = options_.block_duration_ms;
  head_ = std::make_unique<HeadStorage>(options_.head);
}

Result<std::unique_ptr<DiskStorage>> DiskStorage::open(DiskStorageOptions options) {
  if (options.block_duration_ms <= 0) return Status::error("block duration must be positive");
  if (!options.tiers.empty()) {
    if (Status valid = tiering::validate_tiers(options.tiers); !valid) return valid;
    if (options.tiers.front().block_duration_ms != options.block_duration_ms) {
      return Status::error("the raw tier's block duration must equal the block duration");
    }
  }
  std::unique_ptr<DiskStorage> storage(new DiskStorage(std::move(options)));
  const fs::path& dir = storage->options_.dir;
  std::error_code error;
  fs::create_directories(dir / "blocks", error);
  if (error) return Status::error(dir.string() + ": cannot create: " + error.message());

  const std::string lock_path = (dir / "lock").string();
  storage->lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (storage->lock_fd_ < 0) return Status::error(lock_path + ": " + errno_text());
  if (::flock(storage->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return Status::error(lock_path + ": the store is in use by another process (" + errno_text() +
                         ")");
  }

  if (Status status = storage->open_blocks(); !status) return status;
  if (Status status = storage->replay(); !status) return status;

  auto wal = WalWriter::open(dir / "wal", storage->options_.wal);
  if (!wal) return wal.status();
  storage->wal_ = std::move(*wal);
  storage->wal_log_ = std::make_unique<WalLog>(*storage->wal_);
  storage->head_->set_commit_log(storage->wal_log_.get());

  if (storage->options_.compaction_interval.count() > 0) {
    storage->compactor_ = std::thread([raw = storage.get()] { raw->run_compactor(); });
  }
  return storage;
}

DiskStorage::~DiskStorage() {
  {
    std::lock_guard lock(compactor_mutex_);
    stopping_ = true;
  }
  compactor_wake_.notify_all();
  if (compactor_.joinable()) compactor_.join();
  if (wal_) {
    if (Status status = wal_->sync(); !status) {
      log::error("cannot sync the write-ahead log", {{"err", status.message()}});
    }
  }
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

Status DiskStorage::open_blocks() {
  const fs::path blocks_dir = options_.dir / "blocks";
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
  int64_t raw_max = kMinTime;
  for (const auto& path : dirs) {
    // Every CRC is checked at open, data included: a store serves what it can
    // vouch for, and reading a sidecar's blocks once at start is cheap.
    auto reader = block::BlockReader::open(path.string());
    if (!reader) {
      set_aside(path, reader.error());
      continue;
    }
    if (Status verified = (*reader)->verify(); !verified) {
      reader->reset();
      set_aside(path, verified.message());
      continue;
    }
    if ((*reader)->meta().resolution_ms == 0)
      raw_max = std::max(raw_max, (*reader)->meta().max_time);
    add_block(std::move(*reader));
  }
  if (raw_max != kMinTime) {
    head_min_time_ = raw_max + 1;
    head_->set_min_valid_time(raw_max + 1);
  }
  return Status::ok();
}

Status DiskStorage::replay() {
  const auto started = std::chrono::steady_clock::now();
  HeadRestorer restorer(*head_);
  auto replayed = replay_wal(options_.dir / "wal", restorer);
  if (!replayed) return replayed.status();
  wal_corruptions_ += replayed->torn_tails_repaired + replayed->corruptions;
  for (const WalDamage& damage : replayed->damage) {
    log::warn("write-ahead log damaged", {{"file", damage.path.string()},
                                          {"offset", damage.offset},
                                          {"problem", damage.problem},
                                          {"bytes_lost", damage.bytes_lost},
                                          {"truncated", damage.truncated ? "true" : "false"}});
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  log::info("replayed the write-ahead log", {{"dir", (options_.dir / "wal").string()},
                                             {"series", replayed->series},
                                             {"samples", restorer.restored()},
                                             {"samples_in_blocks", restorer.in_blocks()},
                                             {"duration_seconds", seconds}});
  return Status::ok();
}

void DiskStorage::set_aside(const fs::path& block_dir, const std::string& reason) {
  ++corrupted_blocks_;
  const fs::path corrupt_dir = options_.dir / "corrupt";
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

void DiskStorage::add_block(std::shared_ptr<block::BlockReader> reader) {
  std::lock_guard lock(blocks_mutex_);
  blocks_.push_back(std::move(reader));
  std::sort(blocks_.begin(), blocks_.end(), [](const auto& a, const auto& b) {
    if (a->meta().resolution_ms != b->meta().resolution_ms) {
      return a->meta().resolution_ms < b->meta().resolution_ms;
    }
    return a->meta().min_time < b->meta().min_time;
  });
}

std::vector<std::shared_ptr<block::BlockReader>> DiskStorage::blocks_snapshot() const {
  std::lock_guard lock(blocks_mutex_);
  return blocks_;
}

std::unique_ptr<Appender> DiskStorage::appender() { return head_->appender(); }

std::unique_ptr<Querier> DiskStorage::querier(int64_t mint_ms, int64_t maxt_ms) {
  std::vector<std::unique_ptr<Querier>> queriers;
  queriers.push_back(head_->querier(mint_ms, maxt_ms));
  // Newest blocks first, so that on a shared timestamp the newer source wins.
  auto blocks = blocks_snapshot();
  int64_t finer_min = kMaxTime;  // where the finer tiers' data starts
  for (size_t i = 0; i < blocks.size();) {
    const int64_t resolution = blocks[i]->meta().resolution_ms;
    size_t end = i;
    while (end < blocks.size() && blocks[end]->meta().resolution_ms == resolution) ++end;
    int64_t tier_min = kMaxTime;
    std::vector<std::shared_ptr<block::BlockReader>> downsampled;
    for (size_t j = end; j-- > i;) {
      const auto& meta = blocks[j]->meta();
      tier_min = std::min(tier_min, meta.min_time);
      // A coarser tier only serves what no finer tier covers.
      if (resolution != 0 && meta.max_time >= finer_min) continue;
      if (meta.max_time < mint_ms || meta.min_time > maxt_ms) continue;
      if (resolution == 0) {
        queriers.push_back(block::block_querier(blocks[j], mint_ms, maxt_ms));
      } else {
        downsampled.insert(downsampled.begin(), blocks[j]);
      }
    }
    // A downsampled tier is read as a whole, so counters continue across its blocks.
    if (!downsampled.empty()) {
      queriers.push_back(downsampled_querier(std::move(downsampled), mint_ms, maxt_ms));
    }
    finer_min = std::min(finer_min, tier_min);
    i = end;
  }
  return merge_queriers(std::move(queriers));
}

StorageStats DiskStorage::stats() const {
  StorageStats stats = head_->stats();
  DiskStats disk;
  const WalStats wal = wal_->stats();
  disk.wal_segments = wal.segments;
  disk.wal_bytes = wal.disk_bytes;
  disk.wal_fsyncs = wal.fsyncs;
  disk.wal_fsync_errors = wal.fsync_errors;
  disk.wal_fsync_seconds_sum = static_cast<double>(wal.fsync_nanoseconds_sum) / 1e9;
  disk.wal_fsync_seconds_max = static_cast<double>(wal.fsync_nanoseconds_max) / 1e9;
  disk.wal_write_errors = wal.write_errors;
  disk.wal_corruptions = wal_corruptions_.load();
  for (const auto& block : blocks_snapshot()) {
    const auto& meta = block->meta();
    auto tier = std::find_if(disk.tiers.begin(), disk.tiers.end(),
                             [&](const BlockTierStats& t) { return t.tier == meta.tier; });
    if (tier == disk.tiers.end()) {
      disk.tiers.push_back(BlockTierStats{meta.tier});
      tier = disk.tiers.end() - 1;
    }
    ++tier->blocks;
    tier->series += meta.series;
    tier->samples += meta.samples;
    tier->data_bytes += meta.data_bytes;
    tier->index_bytes += meta.index_bytes;
  }
  for (const auto& tier : options_.tiers) {
    if (std::none_of(disk.tiers.begin(), disk.tiers.end(),
                     [&](const BlockTierStats& t) { return t.tier == tier.name; })) {
      disk.tiers.push_back(BlockTierStats{tier.name});
    }
  }
  disk.compactions = compactions_.load();
  disk.compaction_failures = compaction_failures_.load();
  disk.compaction_seconds_sum = static_cast<double>(compaction_nanoseconds_.load()) / 1e9;
  disk.corrupted_blocks = corrupted_blocks_.load();
  disk.out_of_bounds = head_->out_of_bounds();
  stats.disk = std::move(disk);
  return stats;
}

Result<bool> DiskStorage::cut_block(int64_t mint, int64_t maxt) {
  auto querier = head_->querier(mint, maxt);
  auto all = Matcher::make(Matcher::Kind::regex, "__name__", ".+");
  auto series = querier->select({*all});
  if (series.empty()) return false;

  block::BlockMeta meta;
  meta.tier = options_.tiers.empty() ? "raw" : options_.tiers.front().name;
  meta.resolution_ms = 0;
  meta.min_time = mint;
  meta.max_time = maxt;
  auto writer =
      block::BlockWriter::create((options_.dir / "blocks").string(), meta, options_.block_writer);
  if (!writer) return writer.status();
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  size_t written = 0;
  for (const auto& one : series) {
    timestamps.clear();
    values.clear();
    auto it = one->iterator();
    while (it->next()) {
      const Sample sample = it->at();
      if (sample.t_ms < mint || sample.t_ms > maxt) continue;
      timestamps.push_back(sample.t_ms);
      values.push_back(sample.v);
    }
    if (Status status = it->status(); !status) {
      return Status::error("cutting block: series " + one->labels().to_string() + ": " +
                           status.message());
    }
    if (timestamps.empty()) continue;
    const std::span<const double> columns[] = {values};
    // Metadata travels with the series into the block.
    if (Status status = (*writer)->add_series(one->labels(), one->metadata(), timestamps, columns);
        !status) {
      return status;
    }
    ++written;
  }
  if (written == 0) return false;
  auto dir = (*writer)->finish();
  if (!dir) return dir.status();
  auto reader = block::BlockReader::open(*dir);
  if (!reader) return reader.status();
  log::info("cut a block from the head", {{"block", *dir},
                                          {"series", (*reader)->meta().series},
                                          {"samples", (*reader)->meta().samples},
                                          {"data_bytes", (*reader)->meta().data_bytes},
                                          {"index_bytes", (*reader)->meta().index_bytes}});
  add_block(std::move(*reader));
  ++blocks_written_;
  return true;
}

Status DiskStorage::truncate_head(int64_t min_time_ms) {
  head_->set_min_valid_time(min_time_ms);
  head_->truncate(min_time_ms);
  head_min_time_ = min_time_ms;
  auto checkpoint =
      wal_->checkpoint([this](SeriesRef ref) { return head_->contains(ref); }, min_time_ms);
  if (!checkpoint) return checkpoint.status();
  return Status::ok();
}

Result<size_t> DiskStorage::compact() {
  std::lock_guard lock(compaction_mutex_);
  const auto started = std::chrono::steady_clock::now();
  size_t work = 0;
  const int64_t duration = options_.block_duration_ms;
  // As Prometheus: cut once the head spans one and a half blocks, so that the
  // newest half block stays in memory for late samples of slow targets.
  for (;;) {
    const auto [head_min, head_max] = head_->time_range();
    if (head_min > head_max) break;
    const int64_t start = aligned_window_start(std::max(head_min, head_min_time_), duration);
    if (head_max - start < duration + duration / 2) break;
    auto cut = cut_block(start, start + duration - 1);
    if (!cut) {
      ++compaction_failures_;
      return cut.status();
    }
    if (Status status = truncate_head(start + duration); !status) {
      ++compaction_failures_;
      return status;
    }
    if (*cut) ++work;
  }
  auto planned = apply_plan();
  if (!planned) {
    ++compaction_failures_;
    return planned.status();
  }
  work += *planned;
  if (work > 0) {
    ++compactions_;
    compaction_nanoseconds_ +=
        static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  std::chrono::steady_clock::now() - started)
                                  .count());
  }
  return work;
}

Status DiskStorage::flush() {
  {
    std::lock_guard lock(compaction_mutex_);
    const int64_t duration = options_.block_duration_ms;
    for (;;) {
      const auto [head_min, head_max] = head_->time_range();
      if (head_min > head_max) break;
      const int64_t start = aligned_window_start(std::max(head_min, head_min_time_), duration);
      auto cut = cut_block(start, start + duration - 1);
      if (!cut) return cut.status();
      if (Status status = truncate_head(start + duration); !status) return status;
    }
  }
  auto compacted = compact();
  if (!compacted) return compacted.status();
  return Status::ok();
}

Result<size_t> DiskStorage::apply_plan() {
  if (options_.tiers.empty()) return size_t{0};
  std::vector<tiering::BlockInfo> infos;
  for (const auto& block : blocks_snapshot()) {
    const auto& meta = block->meta();
    infos.push_back(tiering::BlockInfo{block->dir(), meta.tier, meta.min_time, meta.max_time + 1});
  }
  const auto actions = tiering::plan(infos, options_.tiers, options_.clock());
  std::vector<bool> succeeded(actions.size(), false);
  size_t done = 0;
  for (size_t i = 0; i < actions.size(); ++i) {
    if (const auto* drop = std::get_if<tiering::DropAction>(&actions[i])) {
      const bool ready = std::all_of(drop->after_actions.begin(), drop->after_actions.end(),
                                     [&](size_t a) { return succeeded[a]; });
      if (!ready) continue;
      drop_block(drop->block.dir);
      succeeded[i] = true;
      ++done;
      continue;
    }
    const auto& downsample_action = std::get<tiering::DownsampleAction>(actions[i]);
    const bool ready =
        std::all_of(downsample_action.source_actions.begin(),
                    downsample_action.source_actions.end(), [&](size_t a) { return succeeded[a]; });
    if (!ready) continue;
    if (Status status = downsample(downsample_action); !status) {
      log::error("downsampling failed", {{"tier", downsample_action.target_tier},
                                         {"min_time", downsample_action.min_time},
                                         {"err", status.message()}});
      ++compaction_failures_;
      continue;
    }
    succeeded[i] = true;
    ++done;
  }
  return done;
}

void DiskStorage::drop_block(const std::string& dir) {
  {
    std::lock_guard lock(blocks_mutex_);
    std::erase_if(blocks_, [&](const auto& block) { return block->dir() == dir; });
  }
  // Renamed first, so a crash halfway through deleting leaves a name that open skips.
  std::error_code error;
  const std::string doomed = dir + ".deleted";
  fs::rename(dir, doomed, error);
  fs::remove_all(error ? fs::path(dir) : fs::path(doomed), error);
  log::info("dropped a block past its retention", {{"block", dir}});
}

void DiskStorage::run_compactor() {
  std::unique_lock lock(compactor_mutex_);
  while (!stopping_) {
    compactor_wake_.wait_for(lock, options_.compaction_interval, [&] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    auto result = compact();
    if (!result) log::error("compaction failed", {{"err", result.error()}});
    lock.lock();
  }
}

Status DiskStorage::downsample(const tiering::DownsampleAction& action) {
  const auto target =
      std::find_if(options_.tiers.begin(), options_.tiers.end(),
                   [&](const auto& tier) { return tier.name == action.target_tier; });
  if (target == options_.tiers.end()) return Status::error("unknown tier " + action.target_tier);
  // The sources: blocks on disk and blocks made earlier in this plan, all of
  // the source tier overlapping the window, oldest first.
  std::vector<std::shared_ptr<block::BlockReader>> sources;
  for (const auto& block : blocks_snapshot()) {
    const auto& meta = block->meta();
    if (meta.tier == action.source_tier && meta.max_time >= action.min_time &&
        meta.min_time < action.max_time) {
      sources.push_back(block);
    }
  }
  if (sources.empty()) return Status::error("no source blocks for " + action.target_tier);
  std::sort(sources.begin(), sources.end(),
            [](const auto& a, const auto& b) { return a->meta().min_time < b->meta().min_time; });

  block::BlockMeta meta;
  meta.tier = target->name;
  meta.resolution_ms = target->resolution_ms;
  meta.min_time = action.min_time;
  meta.max_time = action.max_time - 1;
  meta.columns.assign(tiering::kDownsampledColumnKinds.begin(),
                      tiering::kDownsampledColumnKinds.end());
  int level = 0;
  for (const auto& source : sources) {
    meta.sources.push_back(fs::path(source->dir()).filename().string());
    level = std::max(level, source->meta().compaction_level);
  }
  meta.compaction_level = level + 1;
  auto writer =
      block::BlockWriter::create((options_.dir / "blocks").string(), meta, options_.block_writer);
  if (!writer) return writer.status();

  // Every series of every source, in label order; the same labels in several
  // sources are one series.
  std::vector<std::pair<const Labels*, std::vector<std::pair<size_t, uint32_t>>>> series;
  {
    std::map<Labels, std::vector<std::pair<size_t, uint32_t>>> by_labels;
    std::vector<std::vector<uint32_t>> numbers(sources.size());
    for (size_t s = 0; s < sources.size(); ++s) {
      for (uint32_t n = 0; n < sources[s]->num_series(); ++n) {
        by_labels[sources[s]->labels(n)].emplace_back(s, n);
      }
    }
    for (auto& [labels, parts] : by_labels) {
      series.emplace_back(&sources[parts.front().first]->labels(parts.front().second),
                          std::move(parts));
    }
  }

  const bool from_raw = sources.front()->meta().resolution_ms == 0;
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  std::vector<Sample> raw;
  std::vector<tiering::DownsampledSeries> spans;
  std::vector<std::vector<double>> columns(tiering::kDownsampledColumnKinds.size());
  const int64_t mint = action.min_time;
  const int64_t maxt = action.max_time - 1;
  size_t written = 0;
  for (const auto& [labels, parts] : series) {
    const MetricMetadata* metadata = nullptr;
    Result<tiering::DownsampledSeries> result = Status::error("no data");
    if (from_raw) {
      raw.clear();
      for (const auto& [s, n] : parts) {
        if (metadata == nullptr) metadata = sources[s]->metadata(n);
        if (Status status = sources[s]->read(n, mint, maxt, 0, timestamps, values); !status) {
          return status;
        }
        for (size_t i = 0; i < timestamps.size(); ++i) {
          if (!raw.empty() && timestamps[i] <= raw.back().t_ms) continue;  // overlapping blocks
          raw.push_back(Sample{timestamps[i], values[i]});
        }
      }
      if (raw.empty()) continue;
      result = tiering::downsample_raw(raw, target->resolution_ms);
    } else {
      spans.clear();
      for (const auto& [s, n] : parts) {
        if (metadata == nullptr) metadata = sources[s]->metadata(n);
        for (size_t c = 0; c < columns.size(); ++c) {
          if (Status status = sources[s]->read(n, mint, maxt, c, timestamps, columns[c]); !status) {
            return status;
          }
        }
        auto span = tiering::from_columns(sources[s]->meta().resolution_ms, timestamps, columns);
        if (!span) return Status::error(sources[s]->dir() + ": " + span.error());
        spans.push_back(std::move(*span));
      }
      auto joined = tiering::concatenate(spans);
      if (!joined) return joined.status();
      if (joined->windows.empty()) continue;
      result = tiering::downsample_coarser(*joined, target->resolution_ms);
    }
    if (!result) return Status::error(labels->to_string() + ": " + result.error());
    if (result->windows.empty()) continue;
    const tiering::DownsampledColumns rows = tiering::to_columns(*result);
    const auto column_spans = rows.spans();
    if (Status status = (*writer)->add_series(*labels, metadata, rows.timestamps, column_spans);
        !status) {
      return status;
    }
    ++written;
  }
  if (written == 0) {
    // An empty window still counts as done for the plan: write no block, but
    // the sources' data is all in other windows. Nothing to add.
    return Status::ok();
  }
  auto dir = (*writer)->finish();
  if (!dir) return dir.status();
  auto reader = block::BlockReader::open(*dir);
  if (!reader) return reader.status();
  log::info("downsampled blocks", {{"block", *dir},
                                   {"sources", sources.size()},
                                   {"series", (*reader)->meta().series},
                                   {"windows", (*reader)->meta().samples}});
  add_block(std::move(*reader));
  return Status::ok();
}

}  // namespace mc
