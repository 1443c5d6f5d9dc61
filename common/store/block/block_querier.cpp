#include "common/store/block/block_querier.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>
#include <vector>

namespace mc::block {

namespace {

// The sample arrays of blocks this thread has finished reading, kept for the
// next block it opens. A week-long query opens ~84 blocks per series; giving
// each block new arrays made malloc grow the heap and trim it again on most of
// them (sysmalloc and page faults were a quarter of such a query's CPU).
// Bounded: a few arrays of at most a few blocks' samples per thread.
class SampleArrayPool {
 public:
  static SampleArrayPool& of_this_thread() {
    thread_local SampleArrayPool pool;
    return pool;
  }

  void take(std::vector<int64_t>& timestamps, std::vector<double>& values) {
    if (free_.empty()) return;
    timestamps = std::move(free_.back().timestamps);
    values = std::move(free_.back().values);
    free_.pop_back();
  }

  void give(std::vector<int64_t>& timestamps, std::vector<double>& values) {
    if (free_.size() < kMaxArrays && timestamps.capacity() <= kMaxSamples &&
        values.capacity() <= kMaxSamples && timestamps.capacity() > 0) {
      timestamps.clear();
      values.clear();
      free_.push_back({std::move(timestamps), std::move(values)});
    }
    timestamps = {};
    values = {};
  }

 private:
  static constexpr size_t kMaxArrays = 8;
  static constexpr size_t kMaxSamples = 8192;  // a 2 h block at 1 s
  struct Arrays {
    std::vector<int64_t> timestamps;
    std::vector<double> values;
  };
  std::vector<Arrays> free_;
};

// Keeps the block's parsed index while the query has series of it to read,
// whatever the shared index cache evicts meanwhile (block_index_cache.hpp).
using IndexPin = std::shared_ptr<const void>;
// The querier's last decoded timestamp column, shared by its series' reads (a
// target's series share it), one for each thread reading: a long query reads
// its series on several (common/query/series_evaluation.hpp).
class TimestampMemos {
 public:
  DecodedTimestamps* of_this_thread() {
    const std::thread::id reader = std::this_thread::get_id();
    std::lock_guard lock(mutex_);
    for (auto& [owner, memo] : memos_) {
      if (owner == reader) return memo.get();
    }
    memos_.emplace_back(reader, std::make_unique<DecodedTimestamps>());
    return memos_.back().second.get();
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<std::thread::id, std::unique_ptr<DecodedTimestamps>>> memos_;
};
using TimestampMemo = std::shared_ptr<TimestampMemos>;

// Reads the series' samples in range on the first next() or seek().
class BlockSampleIterator final : public SampleIterator {
 public:
  BlockSampleIterator(std::shared_ptr<BlockReader> block, IndexPin pin, TimestampMemo memo,
                      uint32_t series, int64_t mint, int64_t maxt)
      : block_(std::move(block)),
        pin_(std::move(pin)),
        memo_(std::move(memo)),
        series_(series),
        mint_(mint),
        maxt_(maxt) {}
  ~BlockSampleIterator() override { SampleArrayPool::of_this_thread().give(timestamps_, values_); }
  BlockSampleIterator(const BlockSampleIterator&) = delete;
  BlockSampleIterator& operator=(const BlockSampleIterator&) = delete;

  bool next() override {
    if (!load()) return false;
    if (position_ + 1 >= timestamps_.size()) return exhausted();
    ++position_;
    return true;
  }

  bool seek(int64_t t_ms) override {
    if (!load()) return false;
    if (position_ < timestamps_.size() && timestamps_[position_] >= t_ms) return true;
    // Before the first sample (load() just ran) the search starts at 0.
    size_t from = position_ == kBeforeFirst ? 0 : position_;
    // A range query seeks once a step to a window's start, mostly a few
    // samples ahead: those are looked at first, the rest searched.
    const size_t near = std::min(from + kNearSamples, timestamps_.size());
    while (from < near && timestamps_[from] < t_ms) ++from;
    if (from == near) {
      from =
          static_cast<size_t>(std::lower_bound(timestamps_.begin() + static_cast<ptrdiff_t>(from),
                                               timestamps_.end(), t_ms) -
                              timestamps_.begin());
    }
    position_ = from;
    started_ = true;
    return position_ < timestamps_.size() || exhausted();
  }

  Sample at() const override { return Sample{timestamps_[position_], values_[position_]}; }

  bool read_until(int64_t maxt_ms, std::vector<Sample>& out) override {
    size_t end = position_;
    while (end < timestamps_.size() && timestamps_[end] <= maxt_ms) ++end;
    for (size_t i = position_; i < end; ++i) out.push_back(Sample{timestamps_[i], values_[i]});
    if (end == timestamps_.size()) return exhausted();
    position_ = end;
    return true;
  }
  Status status() const override { return status_; }
  int64_t lower_bound_ms() const override { return std::max(mint_, block_->meta().min_time); }

 private:
  // Past the last sample: iterators only move forward, so the samples go
  // (a week-long query would otherwise hold every block it has passed).
  bool exhausted() {
    SampleArrayPool::of_this_thread().give(timestamps_, values_);
    position_ = 0;
    return false;
  }

  // Loads the samples once; position_ is then "before the first" until next().
  bool load() {
    if (!loaded_) {
      loaded_ = true;
      SampleArrayPool::of_this_thread().take(timestamps_, values_);
      status_ = read_values();
      if (!status_) {
        timestamps_.clear();
        values_.clear();
      }
    }
    if (!started_) {
      started_ = true;
      position_ = kBeforeFirst;  // next() moves to 0
    }
    return status_.is_ok();
  }

  // A raw block's values as they are. A downsampled block serves, for a
  // counter, its reset-adjusted counter (so rate() over it stays right) and
  // for anything else the window's average.
  Status read_values() {
    DecodedTimestamps* const memo = memo_->of_this_thread();
    const auto& columns = block_->meta().columns;
    auto index_of = [&](ColumnKind kind) -> std::optional<size_t> {
      const auto it = std::find(columns.begin(), columns.end(), kind);
      if (it == columns.end()) return std::nullopt;
      return static_cast<size_t>(it - columns.begin());
    };
    if (const auto value = index_of(ColumnKind::value)) {
      return block_->read(pin_, series_, mint_, maxt_, *value, timestamps_, values_, memo);
    }
    const MetricMetadata* metadata = block_->metadata(series_);
    const auto counter = index_of(ColumnKind::counter);
    if (counter && metadata != nullptr && metadata->type == MetricType::counter) {
      return block_->read(pin_, series_, mint_, maxt_, *counter, timestamps_, values_, memo);
    }
    const auto sum = index_of(ColumnKind::sum);
    const auto count = index_of(ColumnKind::count);
    if (!sum || !count)
      return block_->read(pin_, series_, mint_, maxt_, 0, timestamps_, values_, memo);
    std::vector<int64_t> count_timestamps;
    std::vector<double> counts;
    if (Status status =
            block_->read(pin_, series_, mint_, maxt_, *count, count_timestamps, counts, memo);
        !status) {
      return status;
    }
    if (Status status = block_->read(pin_, series_, mint_, maxt_, *sum, timestamps_, values_, memo);
        !status) {
      return status;
    }
    for (size_t i = 0; i < values_.size() && i < counts.size(); ++i) values_[i] /= counts[i];
    return Status::ok();
  }

  std::shared_ptr<BlockReader> block_;
  IndexPin pin_;
  TimestampMemo memo_;
  uint32_t series_;
  int64_t mint_;
  int64_t maxt_;
  static constexpr size_t kBeforeFirst = static_cast<size_t>(-1);
  static constexpr size_t kNearSamples = 16;
  bool loaded_ = false;
  bool started_ = false;
  size_t position_ = 0;
  std::vector<int64_t> timestamps_;
  std::vector<double> values_;
  Status status_;
};

class BlockSeries final : public Series {
 public:
  BlockSeries(std::shared_ptr<BlockReader> block, IndexPin pin, TimestampMemo memo, uint32_t series,
              int64_t mint, int64_t maxt)
      : block_(std::move(block)),
        pin_(std::move(pin)),
        memo_(std::move(memo)),
        labels_(block_->labels(pin_, series)),
        series_(series),
        mint_(mint),
        maxt_(maxt) {}

  const Labels& labels() const override { return labels_; }
  const MetricMetadata* metadata() const override { return block_->metadata(series_); }
  std::unique_ptr<SampleIterator> iterator() const override {
    return std::make_unique<BlockSampleIterator>(block_, pin_, memo_, series_, mint_, maxt_);
  }

 private:
  std::shared_ptr<BlockReader> block_;
  IndexPin pin_;
  TimestampMemo memo_;
  Labels labels_;  // built once per selected series: the index keeps symbol numbers
  uint32_t series_;
  int64_t mint_;
  int64_t maxt_;
};

class BlockQuerier final : public Querier {
 public:
  BlockQuerier(std::shared_ptr<BlockReader> block, int64_t mint, int64_t maxt)
      : block_(std::move(block)),
        pin_(block_->pin_index()),
        memo_(std::make_shared<TimestampMemos>()),
        mint_(mint),
        maxt_(maxt) {}

  std::vector<std::unique_ptr<Series>> select(const std::vector<Matcher>& matchers) override {
    std::vector<std::unique_ptr<Series>> selected;
    auto numbers = block_->select(matchers);
    if (!numbers) return selected;  // the interface has no error path; the index was checked
    for (const uint32_t series : *numbers) {
      if (!in_range(series)) continue;
      selected.push_back(std::make_unique<BlockSeries>(block_, pin_, memo_, series, mint_, maxt_));
    }
    return selected;
  }

  std::vector<std::string> label_names() override {
    if (covers_block()) return block_->label_names();
    std::set<std::string, std::less<>> names;
    for (uint32_t s = 0; s < block_->num_series(); ++s) {
      if (!in_range(s)) continue;
      for (const LabelView label : block_->labels(s)) names.emplace(label.name);
    }
    return {names.begin(), names.end()};
  }

  std::vector<std::string> label_values(std::string_view name) override {
    if (covers_block()) return block_->label_values(name);
    std::set<std::string, std::less<>> values;
    for (uint32_t s = 0; s < block_->num_series(); ++s) {
      if (!in_range(s)) continue;
      std::string value = block_->label_value(s, name);
      if (!value.empty()) values.emplace(std::move(value));
    }
    return {values.begin(), values.end()};
  }

 private:
  bool in_range(uint32_t series) const {
    return block_->max_time(pin_, series) >= mint_ && block_->min_time(pin_, series) <= maxt_;
  }
  // Chunk times are exact, so a series has samples in range when its chunks
  // say so, except for a gap inside a chunk; the block-wide answers are used
  // when the range holds the whole block.
  bool covers_block() const {
    return mint_ <= block_->meta().min_time && maxt_ >= block_->meta().max_time;
  }

  std::shared_ptr<BlockReader> block_;
  IndexPin pin_;
  TimestampMemo memo_;
  int64_t mint_;
  int64_t maxt_;
};

}  // namespace

std::unique_ptr<Querier> block_querier(std::shared_ptr<BlockReader> block, int64_t mint,
                                       int64_t maxt) {
  return std::make_unique<BlockQuerier>(std::move(block), mint, maxt);
}

}  // namespace mc::block
