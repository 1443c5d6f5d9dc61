#include "common/store/wal/wal_writer.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "common/store/wal/wal_directory.hpp"
#include "common/store/wal/wal_segment_file.hpp"
#include "common/util/atomic_bounds.hpp"
#include "common/util/logger.hpp"

namespace mc {

namespace fs = std::filesystem;

WalWriter::WalWriter(fs::path dir, WalOptions options) : dir_(std::move(dir)), options_(options) {}

Result<std::unique_ptr<WalWriter>> WalWriter::open(const fs::path& dir, WalOptions options) {
  std::unique_ptr<WalWriter> writer(new WalWriter(dir, options));
  Status started = writer->start();
  if (!started.is_ok()) return started;
  return writer;
}

Status WalWriter::start() {
  std::error_code error;
  fs::create_directories(dir_, error);
  if (error)
    return Status::error(fmt::format("cannot create {}: {}", dir_.string(), error.message()));
  auto listing = list_wal_directory(dir_);
  if (!listing.is_ok()) return listing.status();

  // Finish what a crash may have interrupted: an unfinished checkpoint goes,
  // and so do files that the newest checkpoint replaced.
  for (const fs::path& temporary : listing->temporary) {
    if (Status removed = remove_path(temporary); !removed.is_ok()) return removed;
  }
  uint64_t newest_checkpoint = 0;
  if (!listing->checkpoints.empty()) {
    newest_checkpoint = listing->checkpoints.back();
    for (uint64_t number : listing->checkpoints) {
      if (number == newest_checkpoint) continue;
      if (Status removed = remove_path(wal_checkpoint_path(dir_, number)); !removed.is_ok()) {
        return removed;
      }
    }
    for (uint64_t number : listing->segments) {
      if (number > newest_checkpoint) continue;
      if (Status removed = remove_path(wal_segment_path(dir_, number)); !removed.is_ok()) {
        return removed;
      }
    }
  }

  // A new segment, so that nothing is appended behind a tail replay has not
  // checked; an empty last segment is reused rather than piling up.
  uint64_t number = newest_checkpoint + 1;
  if (!listing->segments.empty() && listing->segments.back() > newest_checkpoint) {
    number = listing->segments.back();
    std::error_code size_error;
    if (fs::file_size(wal_segment_path(dir_, number), size_error) != 0 || size_error) ++number;
  }
  auto file = WalSegmentFile::open_for_append(wal_segment_path(dir_, number));
  if (!file.is_ok()) return file.status();
  if (Status synced = sync_directory(dir_); !synced.is_ok()) return synced;
  {
    std::lock_guard lock(write_mutex_);
    current_ = std::move(*file);
    current_number_ = number;
    recount_files_locked();
  }
  if (options_.fsync_policy == FsyncPolicy::interval)
    syncer_ = std::thread([this] { run_syncer(); });
  return Status::ok();
}

WalWriter::~WalWriter() {
  if (syncer_.joinable()) {
    {
      std::lock_guard lock(syncer_mutex_);
      stopping_ = true;
    }
    syncer_wake_.notify_all();
    syncer_.join();
  }
  if (current_ != nullptr && options_.fsync_policy != FsyncPolicy::never) {
    if (Status synced = sync_written(); !synced.is_ok()) {
      log::error("WAL fsync at close failed", {{"err", synced.message()}});
    }
  }
}

Result<uint64_t> WalWriter::commit(WalBatch& batch) {
  std::span<const uint8_t> bytes = batch.finish();
  if (bytes.empty()) return committed_sequence();
  uint64_t sequence = 0;
  {
    std::lock_guard lock(write_mutex_);
    if (current_->damaged() ||
        (current_->size() > 0 && current_->size() + bytes.size() > options_.segment_bytes)) {
      if (Status cut = cut_segment_locked(); !cut.is_ok()) {
        write_errors_.fetch_add(1, std::memory_order_relaxed);
        batch.clear();
        return cut;
      }
    }
    if (Status written = current_->append(bytes); !written.is_ok()) {
      write_errors_.fetch_add(1, std::memory_order_relaxed);
      batch.clear();
      return written;
    }
    disk_bytes_ += bytes.size();
    sequence = committed_.load(std::memory_order_relaxed) + 1;
    committed_.store(sequence, std::memory_order_release);
  }
  commits_.fetch_add(1, std::memory_order_relaxed);
  records_written_.fetch_add(batch.record_count(), std::memory_order_relaxed);
  bytes_written_.fetch_add(bytes.size(), std::memory_order_relaxed);
  batch.clear();

  switch (options_.fsync_policy) {
    case FsyncPolicy::always:
      if (durable_sequence() < sequence) {
        if (Status synced = sync_written(); !synced.is_ok()) return synced;
      }
      break;
    case FsyncPolicy::interval:
      notify_syncer();
      break;
    case FsyncPolicy::never:
      break;
  }
  return sequence;
}

Status WalWriter::cut_segment_locked() {
  // Everything committed so far is in the current segment or in earlier ones
  // that were fsynced when they were cut, so one fsync makes it all durable.
  if (Status synced = timed_sync(*current_); !synced.is_ok()) return synced;
  advance_durable(committed_.load(std::memory_order_relaxed));
  auto file = WalSegmentFile::open_for_append(wal_segment_path(dir_, current_number_ + 1));
  if (!file.is_ok()) return file.status();
  if (Status synced = sync_directory(dir_); !synced.is_ok()) return synced;
  current_ = std::move(*file);
  ++current_number_;
  ++segments_;
  return Status::ok();
}

Status WalWriter::sync() { return sync_written(); }

Status WalWriter::sync_written() {
  std::lock_guard sync_lock(sync_mutex_);
  std::shared_ptr<WalSegmentFile> file;
  uint64_t sequence = 0;
  {
    std::lock_guard lock(write_mutex_);
    file = current_;
    sequence = committed_.load(std::memory_order_relaxed);
  }
  if (sequence <= durable_sequence()) return Status::ok();
  if (Status synced = timed_sync(*file); !synced.is_ok()) return synced;
  advance_durable(sequence);
  return Status::ok();
}

Status WalWriter::timed_sync(WalSegmentFile& file) {
  const auto start = std::chrono::steady_clock::now();
  Status synced = file.sync();
  const auto nanoseconds = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count());
  fsyncs_.fetch_add(1, std::memory_order_relaxed);
  fsync_nanoseconds_sum_.fetch_add(nanoseconds, std::memory_order_relaxed);
  raise_atomic_to(fsync_nanoseconds_max_, nanoseconds, std::memory_order_relaxed);
  if (!synced.is_ok()) fsync_errors_.fetch_add(1, std::memory_order_relaxed);
  return synced;
}

void WalWriter::advance_durable(uint64_t sequence) {
  {
    std::lock_guard lock(durable_mutex_);
    if (sequence <= durable_.load(std::memory_order_relaxed)) return;
    durable_.store(sequence, std::memory_order_release);
  }
  durable_changed_.notify_all();
}

bool WalWriter::wait_durable(uint64_t sequence, std::chrono::milliseconds timeout) {
  std::unique_lock lock(durable_mutex_);
  return durable_changed_.wait_for(lock, timeout, [&] { return durable_sequence() >= sequence; });
}

void WalWriter::notify_syncer() {
  {
    std::lock_guard lock(syncer_mutex_);
    if (sync_pending_) return;
    sync_pending_ = true;
  }
  syncer_wake_.notify_one();
}

void WalWriter::run_syncer() {
  // The first commit is fsynced at once; after that at most one fsync starts
  // per interval, however often commits come.
  auto last_start = std::chrono::steady_clock::now() - options_.fsync_interval;
  std::unique_lock lock(syncer_mutex_);
  while (true) {
    syncer_wake_.wait(lock, [&] { return stopping_ || sync_pending_; });
    if (stopping_) return;
    if (syncer_wake_.wait_until(lock, last_start + options_.fsync_interval,
                                [&] { return stopping_; })) {
      return;
    }
    sync_pending_ = false;
    lock.unlock();
    last_start = std::chrono::steady_clock::now();
    Status synced = sync_written();
    lock.lock();
    if (!synced.is_ok()) {
      log::error("WAL fsync failed; retrying after the interval", {{"err", synced.message()}});
      sync_pending_ = true;
    }
  }
}

Result<WalCheckpointStats> WalWriter::checkpoint(const std::function<bool(SeriesRef)>& keep_series,
                                                 int64_t min_time_ms) {
  std::lock_guard checkpoint_lock(checkpoint_mutex_);
  uint64_t last_segment = 0;
  {
    std::lock_guard lock(write_mutex_);
    if (current_->size() > 0) {
      if (Status cut = cut_segment_locked(); !cut.is_ok()) return cut;
    }
    last_segment = current_number_ - 1;
  }
  WalCheckpointStats stats;
  if (last_segment > 0) {
    auto written =
        write_wal_checkpoint(dir_, last_segment, keep_series, min_time_ms, options_.segment_bytes);
    if (!written.is_ok()) return written.status();
    stats = *written;
  }
  if (stats.number != 0) checkpoints_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(write_mutex_);
  recount_files_locked();
  return stats;
}

void WalWriter::recount_files_locked() {
  auto listing = list_wal_directory(dir_);
  segments_ = listing.is_ok() ? listing->segments.size() : 0;
  disk_bytes_ = wal_disk_bytes(dir_);
}

WalStats WalWriter::stats() const {
  WalStats stats;
  {
    std::lock_guard lock(write_mutex_);
    stats.segments = segments_;
    stats.disk_bytes = disk_bytes_;
  }
  stats.commits = commits_.load(std::memory_order_relaxed);
  stats.records_written = records_written_.load(std::memory_order_relaxed);
  stats.bytes_written = bytes_written_.load(std::memory_order_relaxed);
  stats.write_errors = write_errors_.load(std::memory_order_relaxed);
  stats.fsyncs = fsyncs_.load(std::memory_order_relaxed);
  stats.fsync_errors = fsync_errors_.load(std::memory_order_relaxed);
  stats.fsync_nanoseconds_sum = fsync_nanoseconds_sum_.load(std::memory_order_relaxed);
  stats.fsync_nanoseconds_max = fsync_nanoseconds_max_.load(std::memory_order_relaxed);
  stats.checkpoints = checkpoints_.load(std::memory_order_relaxed);
  stats.committed_sequence = committed_sequence();
  stats.durable_sequence = durable_sequence();
  return stats;
}

}  // namespace mc
