#include "common/store/counter_continuation.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "common/store/downsampled_querier.hpp"

namespace mc {

namespace {

// The tier's points, then the newer samples: for a counter, reset-adjusted
// from where the tier ends.
class ContinuedIterator final : public SampleIterator {
 public:
  ContinuedIterator(std::unique_ptr<SampleIterator> tier, std::unique_ptr<SampleIterator> newer,
                    std::optional<CounterEnd> end)
      : tier_(std::move(tier)), newer_(std::move(newer)), end_(end) {}

  bool next() override {
    if (!in_newer_) {
      if (tier_->next()) return take(tier_->at());
      enter_newer();
    }
    return next_newer();
  }

  bool seek(int64_t t_ms) override {
    if (!in_newer_) {
      if (tier_->seek(t_ms)) return take(tier_->at());
      enter_newer();
    }
    if (valid_ && current_.t_ms >= t_ms) return true;
    // Step by step: every sample on the way may be a reset to count.
    while (next_newer()) {
      if (current_.t_ms >= t_ms) return true;
    }
    return false;
  }

  Sample at() const override { return current_; }

  Status status() const override {
    if (Status status = tier_->status(); !status) return status;
    return newer_->status();
  }

 private:
  bool take(Sample sample) {
    current_ = sample;
    valid_ = true;
    return true;
  }

  void enter_newer() {
    in_newer_ = true;
    valid_ = false;
    if (end_) {
      offset_ = end_->adjusted - end_->raw;
      previous_raw_ = end_->raw;
    }
  }

  bool next_newer() {
    if (!newer_->next()) {
      valid_ = false;
      return false;
    }
    Sample sample = newer_->at();
    // PromQL's rule: a drop is a reset, the new value counts in full.
    // StaleNaN and NaN have no increase and pass as they are.
    if (end_ && !std::isnan(sample.v)) {
      if (sample.v < previous_raw_) offset_ += previous_raw_;
      previous_raw_ = sample.v;
      sample.v += offset_;
    }
    return take(sample);
  }

  std::unique_ptr<SampleIterator> tier_;
  std::unique_ptr<SampleIterator> newer_;
  std::optional<CounterEnd> end_;
  bool in_newer_ = false;
  bool valid_ = false;
  double offset_ = 0;
  double previous_raw_ = 0;
  Sample current_{};
};

class ContinuedSeries final : public Series {
 public:
  ContinuedSeries(std::unique_ptr<Series> tier, std::unique_ptr<Series> newer)
      : tier_(std::move(tier)), newer_(std::move(newer)) {}

  const Labels& labels() const override { return tier_->labels(); }

  // The newer source's first: the head holds the newest metadata.
  const MetricMetadata* metadata() const override {
    if (const MetricMetadata* metadata = newer_->metadata()) return metadata;
    return tier_->metadata();
  }

  std::unique_ptr<SampleIterator> iterator() const override {
    return std::make_unique<ContinuedIterator>(tier_->iterator(), newer_->iterator(),
                                               downsampled_counter_end(*tier_));
  }

 private:
  std::unique_ptr<Series> tier_;
  std::unique_ptr<Series> newer_;
};

std::vector<std::string> sorted_union(std::vector<std::string> a, std::vector<std::string> b) {
  std::set<std::string> all(std::make_move_iterator(a.begin()), std::make_move_iterator(a.end()));
  all.insert(std::make_move_iterator(b.begin()), std::make_move_iterator(b.end()));
  return {all.begin(), all.end()};
}

class ContinuedQuerier final : public Querier {
 public:
  ContinuedQuerier(std::unique_ptr<Querier> tier, std::unique_ptr<Querier> newer)
      : tier_(std::move(tier)), newer_(std::move(newer)) {}

  // Both lists are sorted by labels: one pass pairs the series in both.
  std::vector<std::unique_ptr<Series>> select(const std::vector<Matcher>& matchers) override {
    auto older = tier_->select(matchers);
    auto newer = newer_->select(matchers);
    std::vector<std::unique_ptr<Series>> out;
    out.reserve(older.size() + newer.size());
    size_t i = 0;
    size_t j = 0;
    while (i < older.size() || j < newer.size()) {
      if (j == newer.size() || (i < older.size() && older[i]->labels() < newer[j]->labels())) {
        out.push_back(std::move(older[i++]));
      } else if (i == older.size() || newer[j]->labels() < older[i]->labels()) {
        out.push_back(std::move(newer[j++]));
      } else {
        out.push_back(
            std::make_unique<ContinuedSeries>(std::move(older[i++]), std::move(newer[j++])));
      }
    }
    return out;
  }

  std::vector<std::string> label_names() override {
    return sorted_union(tier_->label_names(), newer_->label_names());
  }
  std::vector<std::string> label_values(std::string_view name) override {
    return sorted_union(tier_->label_values(name), newer_->label_values(name));
  }
  // Finest first: the newer data's tiers, then this one.
  std::vector<std::string> tiers() const override {
    std::vector<std::string> tiers = newer_->tiers();
    for (std::string& tier : tier_->tiers()) {
      if (std::find(tiers.begin(), tiers.end(), tier) == tiers.end()) tiers.push_back(tier);
    }
    return tiers;
  }

 private:
  std::unique_ptr<Querier> tier_;
  std::unique_ptr<Querier> newer_;
};

}  // namespace

std::unique_ptr<Querier> continue_counters(std::unique_ptr<Querier> tier,
                                           std::unique_ptr<Querier> newer) {
  return std::make_unique<ContinuedQuerier>(std::move(tier), std::move(newer));
}

}  // namespace mc
