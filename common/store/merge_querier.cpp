#include "common/store/merge_querier.hpp"

#include <algorithm>
#include <limits>
#include <set>

namespace mc {

namespace {

// Merges the iterators of one series from several sources; on equal
// timestamps the lowest source index wins. The sources' next samples sit in a
// min-heap by (time, source), so a step costs O(log k) and touches only the
// sources at the front: a week of data is ~84 blocks, and scanning every
// source for every sample made reading it several times slower than the
// decoding itself.
//
// A source is opened only when the merge reaches its lower bound
// (SampleIterator::lower_bound_ms): until then its heap entry carries that
// bound and the move it owes (its first sample, or a seek). Opening every
// block of a week at the first step read the whole series into memory at once.
class MergedIterator final : public SampleIterator {
 public:
  explicit MergedIterator(std::vector<std::unique_ptr<SampleIterator>> sources)
      : sources_(std::move(sources)), owed_seek_(sources_.size(), kFirstSample) {
    heap_.reserve(sources_.size());
  }

  bool next() override {
    if (!started_) {
      start(kFirstSample);
    } else if (valid_) {
      // Every source holding the current time moves past it.
      const int64_t past = current_.t_ms;
      while (!heap_.empty() && heap_.front().t_ms <= past) {
        if (!heap_.front().opened) {
          owe(pop().source, past + 1);
          continue;
        }
        // The front source moves on in place: where blocks do not overlap (the
        // usual case) it stays in front, and the step costs no heap work.
        const size_t source = heap_.front().source;
        bool has = false;
        while ((has = sources_[source]->next()) && sources_[source]->at().t_ms <= past) {
        }
        if (!has) {
          pop();
          continue;
        }
        heap_.front().t_ms = sources_[source]->at().t_ms;
        sift_down_front();
      }
    }
    return pick();
  }

  bool seek(int64_t t_ms) override {
    if (!started_) {
      start(t_ms);
      return pick();
    }
    if (valid_ && current_.t_ms >= t_ms) return true;
    while (!heap_.empty() && heap_.front().t_ms < t_ms) {
      if (!heap_.front().opened) {
        owe(pop().source, t_ms);
        continue;
      }
      // As in next(): the front source seeks in place and, where blocks do
      // not overlap, stays in front. A range query seeks once a step per
      // series; popping and pushing the entry each time among a week's ~84
      // blocks (pop, push and their comparisons) was 6% of the CPU of a
      // 7-day gauge sum in its profile.
      const size_t source = heap_.front().source;
      if (!sources_[source]->seek(t_ms)) {
        pop();
        continue;
      }
      heap_.front().t_ms = sources_[source]->at().t_ms;
      sift_down_front();
    }
    return pick();
  }

  Sample at() const override { return current_; }

  // While the front source's samples come before every other entry's time,
  // they are the merged series as they are: read in one call from that
  // source. Where sources meet, a sample at a time through next(), which
  // settles equal timestamps.
  bool read_until(int64_t maxt_ms, std::vector<Sample>& out) override {
    while (valid_ && current_.t_ms <= maxt_ms) {
      int64_t limit = maxt_ms;
      for (size_t child = 1; child <= 2 && child < heap_.size(); ++child) {
        limit = std::min(limit, heap_[child].t_ms - 1);
      }
      if (limit < current_.t_ms) {
        out.push_back(current_);
        next();
        continue;
      }
      const size_t source = heap_.front().source;
      const size_t from = out.size();
      const bool has = sources_[source]->read_until(limit, out);
      // A source repeating a time is read once, as next() does. Blocks never
      // repeat one, so the samples stay in place up to the first repeat.
      size_t kept = from + 1;
      while (kept < out.size() && out[kept].t_ms > out[kept - 1].t_ms) ++kept;
      for (size_t i = kept; i < out.size(); ++i) {
        if (out[i].t_ms > out[kept - 1].t_ms) out[kept++] = out[i];
      }
      out.resize(kept);
      // The source now stands after `limit`, past every sample read, so the
      // earliest entry is the merge's next sample.
      if (!has) {
        pop();
      } else {
        heap_.front().t_ms = sources_[source]->at().t_ms;
        sift_down_front();
      }
      pick();
    }
    return valid_;
  }

  Status status() const override {
    for (const auto& source : sources_) {
      if (Status status = source->status(); !status) return status;
    }
    return Status::ok();
  }

 private:
  static constexpr int64_t kFirstSample = std::numeric_limits<int64_t>::min();

  struct Front {
    int64_t t_ms;  // the sample's time, or for a source not opened its bound
    size_t source;
    bool opened;
  };
  // std::push_heap keeps the largest first; this puts the earliest first.
  static bool later(const Front& a, const Front& b) {
    return a.t_ms != b.t_ms ? a.t_ms > b.t_ms : a.source > b.source;
  }

  void start(int64_t seek_to) {
    started_ = true;
    for (size_t i = 0; i < sources_.size(); ++i) owe(i, seek_to);
  }

  // The source is not opened yet: it will first move to the first sample at
  // or after `t_ms` (kFirstSample: its first).
  void owe(size_t source, int64_t t_ms) {
    owed_seek_[source] = std::max(owed_seek_[source], t_ms);
    const int64_t bound = std::max(owed_seek_[source], sources_[source]->lower_bound_ms());
    push(Front{bound, source, false});
  }

  void open(size_t source) {
    const int64_t target = owed_seek_[source];
    const bool has =
        target == kFirstSample ? sources_[source]->next() : sources_[source]->seek(target);
    if (has) push_opened(source);
  }

  void push_opened(size_t source) { push(Front{sources_[source]->at().t_ms, source, true}); }

  // Restores the heap after the front entry's time grew.
  void sift_down_front() {
    size_t at = 0;
    for (;;) {
      const size_t left = 2 * at + 1;
      if (left >= heap_.size()) return;
      size_t earliest = left;
      if (left + 1 < heap_.size() && later(heap_[left], heap_[left + 1])) earliest = left + 1;
      if (!later(heap_[at], heap_[earliest])) return;
      std::swap(heap_[at], heap_[earliest]);
      at = earliest;
    }
  }

  void push(Front front) {
    heap_.push_back(front);
    std::push_heap(heap_.begin(), heap_.end(), later);
  }

  Front pop() {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    const Front front = heap_.back();
    heap_.pop_back();
    return front;
  }

  // Opens sources until the earliest entry is a real sample.
  bool pick() {
    while (!heap_.empty() && !heap_.front().opened) open(pop().source);
    valid_ = !heap_.empty();
    if (valid_) current_ = sources_[heap_.front().source]->at();
    return valid_;
  }

  std::vector<std::unique_ptr<SampleIterator>> sources_;
  std::vector<int64_t> owed_seek_;  // per source not opened yet
  std::vector<Front> heap_;
  bool started_ = false;
  bool valid_ = false;
  Sample current_{};
};

class MergedSeries final : public Series {
 public:
  explicit MergedSeries(std::vector<std::unique_ptr<Series>> parts) : parts_(std::move(parts)) {}

  const Labels& labels() const override { return parts_.front()->labels(); }

  // The first source that has any: the head's is the newest, then newer blocks'.
  const MetricMetadata* metadata() const override {
    for (const auto& part : parts_) {
      if (const MetricMetadata* metadata = part->metadata()) return metadata;
    }
    return nullptr;
  }

  std::unique_ptr<SampleIterator> iterator() const override {
    std::vector<std::unique_ptr<SampleIterator>> iterators;
    iterators.reserve(parts_.size());
    for (const auto& part : parts_) iterators.push_back(part->iterator());
    return std::make_unique<MergedIterator>(std::move(iterators));
  }

 private:
  std::vector<std::unique_ptr<Series>> parts_;  // in source order
};

class MergeQuerier final : public Querier {
 public:
  explicit MergeQuerier(std::vector<std::unique_ptr<Querier>> queriers)
      : queriers_(std::move(queriers)) {}

  std::vector<std::unique_ptr<Series>> select(const std::vector<Matcher>& matchers) override {
    if (queriers_.size() == 1) return queriers_.front()->select(matchers);
    std::vector<std::vector<std::unique_ptr<Series>>> lists;
    lists.reserve(queriers_.size());
    for (auto& querier : queriers_) lists.push_back(querier->select(matchers));
    std::vector<size_t> positions(lists.size(), 0);
    std::vector<std::unique_ptr<Series>> merged;
    for (;;) {
      // The smallest labels among the heads of the lists, and every list that has them.
      const Labels* smallest = nullptr;
      for (size_t i = 0; i < lists.size(); ++i) {
        if (positions[i] == lists[i].size()) continue;
        const Labels& labels = lists[i][positions[i]]->labels();
        if (smallest == nullptr || labels < *smallest) smallest = &labels;
      }
      if (smallest == nullptr) break;
      std::vector<std::unique_ptr<Series>> parts;
      const Labels key = *smallest;
      for (size_t i = 0; i < lists.size(); ++i) {
        if (positions[i] < lists[i].size() && lists[i][positions[i]]->labels() == key) {
          parts.push_back(std::move(lists[i][positions[i]++]));
        }
      }
      if (parts.size() == 1) {
        merged.push_back(std::move(parts.front()));
      } else {
        merged.push_back(std::make_unique<MergedSeries>(std::move(parts)));
      }
    }
    return merged;
  }

  std::vector<std::string> label_names() override {
    std::set<std::string> names;
    for (auto& querier : queriers_) {
      for (auto& name : querier->label_names()) names.insert(std::move(name));
    }
    return {names.begin(), names.end()};
  }

  std::vector<std::string> label_values(std::string_view name) override {
    std::set<std::string> values;
    for (auto& querier : queriers_) {
      for (auto& value : querier->label_values(name)) values.insert(std::move(value));
    }
    return {values.begin(), values.end()};
  }

 private:
  std::vector<std::unique_ptr<Querier>> queriers_;
};

}  // namespace

std::unique_ptr<Querier> merge_queriers(std::vector<std::unique_ptr<Querier>> queriers) {
  return std::make_unique<MergeQuerier>(std::move(queriers));
}

}  // namespace mc
