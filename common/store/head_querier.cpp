#include "common/store/head_querier.hpp"

#include <algorithm>
#include <mutex>
#include <set>

#include "common/store/chunkenc/chunk.hpp"
#include "common/store/head_storage.hpp"

namespace mc {

namespace {

// The chunks of one series as select() found them.
struct SeriesChunks {
  std::vector<HeadChunkRef> sealed;
  std::vector<uint8_t> open;  // a copy: the open chunk keeps growing
  int64_t open_max_t = 0;
  Status status;  // a damaged chunk record: the iterator reports it
};

// Decodes a series snapshot's chunks in order, keeping samples in [mint, maxt].
// Shares the snapshot, so it may outlive the Series that made it.
class HeadSampleIterator final : public SampleIterator {
 public:
  HeadSampleIterator(std::shared_ptr<const SeriesChunks> chunks, int64_t mint, int64_t maxt)
      : chunks_(std::move(chunks)),
        sealed_(chunks_->sealed),
        open_(chunks_->open),
        open_max_t_(chunks_->open_max_t),
        lower_bound_(mint),
        maxt_(maxt),
        status_(chunks_->status) {
    done_ = !status_.is_ok();
  }

  bool next() override {
    while (!done_) {
      if (chunk_ && chunk_active_) {
        if (chunk_->next()) {
          const Sample sample = chunk_->at();
          if (sample.t_ms < lower_bound_) continue;
          if (sample.t_ms > maxt_) break;
          sample_ = sample;
          has_sample_ = true;
          return true;
        }
        if (!chunk_->status().is_ok()) {
          status_ = chunk_->status();
          break;
        }
        chunk_active_ = false;
      }
      if (!open_next_chunk()) break;
    }
    done_ = true;
    has_sample_ = false;
    return false;
  }

  bool seek(int64_t t_ms) override {
    if (done_) return false;
    if (has_sample_ && sample_.t_ms >= t_ms) return true;
    lower_bound_ = std::max(lower_bound_, t_ms);
    return next();
  }

  Sample at() const override { return sample_; }
  Status status() const override { return status_; }

 private:
  // Moves to the next chunk that may hold samples >= lower_bound_.
  bool open_next_chunk() {
    while (next_chunk_ < sealed_.size() && sealed_[next_chunk_].max_t < lower_bound_) ++next_chunk_;
    std::span<const uint8_t> bytes;
    if (next_chunk_ < sealed_.size()) {
      const HeadChunkRef& ref = sealed_[next_chunk_++];
      if (ref.min_t > maxt_) return false;
      bytes = ref.bytes;
    } else if (next_chunk_ == sealed_.size() && !open_.empty() && open_max_t_ >= lower_bound_) {
      ++next_chunk_;
      bytes = open_;
    } else {
      return false;
    }
    chunk_ = chunkenc::new_chunk_iterator(bytes, std::move(chunk_));
    chunk_active_ = true;
    return true;
  }

  std::shared_ptr<const SeriesChunks> chunks_;
  const std::vector<HeadChunkRef>& sealed_;
  const std::vector<uint8_t>& open_;
  int64_t open_max_t_;
  int64_t lower_bound_;
  int64_t maxt_;
  size_t next_chunk_ = 0;
  std::unique_ptr<chunkenc::ChunkIterator> chunk_;
  bool chunk_active_ = false;
  bool done_ = false;
  bool has_sample_ = false;
  Sample sample_;
  Status status_;
};

// One selected series: its labels and the chunks it had when selected.
class HeadSeriesSnapshot final : public Series {
 public:
  HeadSeriesSnapshot(SharedLabels labels, const MetricMetadata* metadata,
                     std::shared_ptr<const SeriesChunks> chunks, int64_t mint, int64_t maxt)
      : labels_(std::move(labels)),
        metadata_(metadata),
        chunks_(std::move(chunks)),
        mint_(mint),
        maxt_(maxt) {}

  const Labels& labels() const override { return *labels_; }
  const MetricMetadata* metadata() const override { return metadata_; }
  std::unique_ptr<SampleIterator> iterator() const override {
    return std::make_unique<HeadSampleIterator>(chunks_, mint_, maxt_);
  }

 private:
  SharedLabels labels_;
  const MetricMetadata* metadata_;  // interned: lives as the head
  std::shared_ptr<const SeriesChunks> chunks_;
  int64_t mint_;
  int64_t maxt_;
};

bool in_range(const HeadSeries& series, int64_t mint, int64_t maxt) {
  return series.has_samples() && series.newest().t_ms >= mint && series.min_time() <= maxt;
}

bool matches_all(const Labels& labels, const std::vector<Matcher>& matchers) {
  return std::all_of(matchers.begin(), matchers.end(),
                     [&](const Matcher& m) { return m.matches(labels.get(m.name())); });
}

}  // namespace

std::vector<std::unique_ptr<Series>> HeadQuerier::select(const std::vector<Matcher>& matchers) {
  const HeadChunkFile* file = head_.chunk_file();
  // A selected series as copied under its stripe lock; its sealed chunks'
  // records are read after the lock is released, through `pin`. At a block
  // cut (every series of a 30-minute window, records cold in the mapping)
  // reading them under the lock held scrapes' appends to the stripe.
  struct Chosen {
    SharedLabels labels;
    const MetricMetadata* metadata;
    HeadSeries::FileChain chain;
    std::shared_ptr<SeriesChunks> chunks;
    std::shared_ptr<const HeadChunkFile::Pin> pin;
  };
  std::vector<std::vector<Chosen>> chosen(head_.stripes_.size());
  std::shared_ptr<const HeadChunkFile::Pin> pin;
  // Matching every series of a stripe takes milliseconds at 200,000 series
  // (a regex a series): read in steps, so an append waits for one step.
  head_.read_series_in_steps(
      [&](size_t s) { chosen[s].clear(); },
      [&](size_t s, const HeadSeries& series) {
        if (!in_range(series, mint_, maxt_) || !matches_all(series.labels(), matchers)) {
          return;
        }
        auto chunks = std::make_shared<SeriesChunks>();
        const HeadSeries::FileChain chain =
            series.snapshot(mint_, maxt_, &chunks->sealed, &chunks->open, &chunks->open_max_t);
        // Pinned under this series' lock when the pin
        // at hand is older than its chain.
        if (chain.newest != 0 && (!pin || !pin->covers(chain.newest))) {
          pin = std::make_shared<const HeadChunkFile::Pin>(file->pin());
        }
        chosen[s].push_back(
            Chosen{series.shared_labels(), series.metadata(), chain, std::move(chunks), pin});
      });
  std::vector<std::unique_ptr<Series>> selected;
  for (auto& stripe_chosen : chosen) {
    for (auto& one : stripe_chosen) {
      if (one.chain.newest != 0) {
        one.chunks->status = HeadSeries::read_file_chunks(one.chain, mint_, maxt_, *file, *one.pin,
                                                          &one.chunks->sealed);
      }
      selected.push_back(std::make_unique<HeadSeriesSnapshot>(std::move(one.labels), one.metadata,
                                                              std::move(one.chunks), mint_, maxt_));
    }
  }
  std::sort(selected.begin(), selected.end(),
            [](const auto& a, const auto& b) { return a->labels() < b->labels(); });
  return selected;
}

std::vector<std::string> HeadQuerier::label_names() {
  std::set<std::string, std::less<>> names;
  for (size_t s = 0; s < head_.stripes_.size(); ++s) {
    auto& stripe = head_.stripe(s);
    std::lock_guard lock(stripe.mutex);
    stripe.by_hash.for_each([&](const HeadSeries& series) {
      if (!in_range(series, mint_, maxt_)) return;
      for (const auto& label : series.labels()) {
        if (names.find(label.name) == names.end()) names.emplace(label.name);
      }
    });
  }
  return {names.begin(), names.end()};
}

std::vector<std::string> HeadQuerier::label_values(std::string_view name) {
  std::set<std::string, std::less<>> values;
  for (size_t s = 0; s < head_.stripes_.size(); ++s) {
    auto& stripe = head_.stripe(s);
    std::lock_guard lock(stripe.mutex);
    stripe.by_hash.for_each([&](const HeadSeries& series) {
      if (!in_range(series, mint_, maxt_)) return;
      const std::string_view value = series.labels().get(name);
      if (!value.empty() && values.find(value) == values.end()) values.emplace(value);
    });
  }
  return {values.begin(), values.end()};
}

}  // namespace mc
