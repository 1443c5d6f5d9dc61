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
class MergedIterator final : public SampleIterator {
 public:
  explicit MergedIterator(std::vector<std::unique_ptr<SampleIterator>> sources)
      : sources_(std::move(sources)) {
    heap_.reserve(sources_.size());
  }

  bool next() override {
    if (!started_) {
      started_ = true;
      for (size_t i = 0; i < sources_.size(); ++i) {
        if (sources_[i]->next()) push(i);
      }
    } else if (valid_) {
      // Every source holding the current time moves past it.
      while (!heap_.empty() && heap_.front().t_ms <= current_.t_ms) {
        const size_t source = pop();
        while (sources_[source]->next()) {
          if (sources_[source]->at().t_ms > current_.t_ms) {
            push(source);
            break;
          }
        }
      }
    }
    return pick();
  }

  bool seek(int64_t t_ms) override {
    if (!started_) {
      started_ = true;
      for (size_t i = 0; i < sources_.size(); ++i) {
        if (sources_[i]->seek(t_ms)) push(i);
      }
      return pick();
    }
    if (valid_ && current_.t_ms >= t_ms) return true;
    while (!heap_.empty() && heap_.front().t_ms < t_ms) {
      const size_t source = pop();
      if (sources_[source]->seek(t_ms)) push(source);
    }
    return pick();
  }

  Sample at() const override { return current_; }

  Status status() const override {
    for (const auto& source : sources_) {
      if (Status status = source->status(); !status) return status;
    }
    return Status::ok();
  }

 private:
  struct Front {
    int64_t t_ms;
    size_t source;
  };
  // std::push_heap keeps the largest first; this puts the earliest first.
  static bool later(const Front& a, const Front& b) {
    return a.t_ms != b.t_ms ? a.t_ms > b.t_ms : a.source > b.source;
  }

  void push(size_t source) {
    heap_.push_back(Front{sources_[source]->at().t_ms, source});
    std::push_heap(heap_.begin(), heap_.end(), later);
  }

  size_t pop() {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    const size_t source = heap_.back().source;
    heap_.pop_back();
    return source;
  }

  bool pick() {
    valid_ = !heap_.empty();
    if (valid_) current_ = sources_[heap_.front().source]->at();
    return valid_;
  }

  std::vector<std::unique_ptr<SampleIterator>> sources_;
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
