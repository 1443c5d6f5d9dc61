#include "common/store/tier_query_plan.hpp"

#include <algorithm>
#include <limits>
#include <span>
#include <string>

#include "common/model/sample_value.hpp"
#include "common/store/block/block_querier.hpp"
#include "common/store/counter_continuation.hpp"
#include "common/store/downsampled_querier.hpp"
#include "common/store/merge_querier.hpp"
#include "common/store/tiering/window_cuts.hpp"

namespace mc {

namespace {

using BlockPtr = std::shared_ptr<block::BlockReader>;

// The blocks of one tier, by min_time.
struct Tier {
  std::span<const BlockPtr> blocks;
  int64_t resolution_ms = 0;
  int64_t min_time = std::numeric_limits<int64_t>::max();
  int64_t max_time = std::numeric_limits<int64_t>::min();  // inclusive

  bool overlaps(int64_t mint, int64_t maxt) const {
    return std::any_of(blocks.begin(), blocks.end(), [&](const BlockPtr& block) {
      return block->meta().max_time >= mint && block->meta().min_time <= maxt;
    });
  }
};

std::vector<Tier> group_by_tier(const std::vector<BlockPtr>& blocks) {
  std::vector<Tier> tiers;
  for (size_t i = 0; i < blocks.size();) {
    Tier tier;
    tier.resolution_ms = blocks[i]->meta().resolution_ms;
    size_t end = i;
    while (end < blocks.size() && blocks[end]->meta().resolution_ms == tier.resolution_ms) {
      tier.min_time = std::min(tier.min_time, blocks[end]->meta().min_time);
      tier.max_time = std::max(tier.max_time, blocks[end]->meta().max_time);
      ++end;
    }
    tier.blocks = std::span<const BlockPtr>(blocks).subspan(i, end - i);
    tiers.push_back(tier);
    i = end;
  }
  return tiers;
}

// The coarsest downsampled tier the hints allow that has data in the range;
// tiers.size() when none.
size_t preferred_tier(const std::vector<Tier>& tiers, int64_t mint, int64_t maxt,
                      const ReadHints& hints) {
  size_t preferred = tiers.size();
  for (size_t i = 0; i < tiers.size(); ++i) {
    const Tier& tier = tiers[i];
    const bool aligned = hints.aligned_to_ms == 0 ||
                         (tier.resolution_ms > 0 && hints.aligned_to_ms % tier.resolution_ms == 0);
    if (tier.resolution_ms > 0 && tier.resolution_ms <= hints.max_resolution_ms && aligned &&
        tier.overlaps(mint, maxt)) {
      preferred = i;
    }
  }
  return preferred;
}

// Reports the tiers that serve, around the merge of their queriers.
class PlannedQuerier final : public Querier {
 public:
  PlannedQuerier(std::unique_ptr<Querier> merged, std::vector<std::string> tiers)
      : merged_(std::move(merged)), tiers_(std::move(tiers)) {}

  std::vector<std::unique_ptr<Series>> select(const std::vector<Matcher>& matchers) override {
    return merged_->select(matchers);
  }
  std::vector<std::string> label_names() override { return merged_->label_names(); }
  std::vector<std::string> label_values(std::string_view name) override {
    return merged_->label_values(name);
  }
  std::vector<std::string> tiers() const override { return tiers_; }

 private:
  std::unique_ptr<Querier> merged_;
  std::vector<std::string> tiers_;
};

// Raw samples read for WindowValue::Count: each one a window of one, so that
// window counts and raw samples after the tier add up (avg_over_time divides
// the sums by them). A StaleNaN marker stays one, and is no sample.
class CountingIterator final : public SampleIterator {
 public:
  explicit CountingIterator(std::unique_ptr<SampleIterator> samples)
      : samples_(std::move(samples)) {}
  bool next() override { return samples_->next(); }
  bool seek(int64_t t_ms) override { return samples_->seek(t_ms); }
  Sample at() const override {
    const Sample sample = samples_->at();
    return is_stale_nan(sample.v) ? sample : Sample{sample.t_ms, 1};
  }
  Status status() const override { return samples_->status(); }
  int64_t lower_bound_ms() const override { return samples_->lower_bound_ms(); }

 private:
  std::unique_ptr<SampleIterator> samples_;
};

class CountingSeries final : public Series {
 public:
  explicit CountingSeries(std::unique_ptr<Series> series) : series_(std::move(series)) {}
  const Labels& labels() const override { return series_->labels(); }
  const MetricMetadata* metadata() const override { return series_->metadata(); }
  std::unique_ptr<SampleIterator> iterator() const override {
    return std::make_unique<CountingIterator>(series_->iterator());
  }

 private:
  std::unique_ptr<Series> series_;
};

class CountingQuerier final : public Querier {
 public:
  explicit CountingQuerier(std::unique_ptr<Querier> raw) : raw_(std::move(raw)) {}
  std::vector<std::unique_ptr<Series>> select(const std::vector<Matcher>& matchers) override {
    auto selected = raw_->select(matchers);
    for (auto& series : selected) series = std::make_unique<CountingSeries>(std::move(series));
    return selected;
  }
  std::vector<std::string> label_names() override { return raw_->label_names(); }
  std::vector<std::string> label_values(std::string_view name) override {
    return raw_->label_values(name);
  }
  std::vector<std::string> tiers() const override { return raw_->tiers(); }

 private:
  std::unique_ptr<Querier> raw_;
};

// A raw source (the head, a raw block) as the hints want it read.
std::unique_ptr<Querier> raw_source(std::unique_ptr<Querier> raw, const ReadHints& hints) {
  if (hints.window_value != WindowValue::Count) return raw;
  return std::make_unique<CountingQuerier>(std::move(raw));
}

}  // namespace

std::unique_ptr<Querier> plan_tier_querier(const HeadQuerierFactory& head,
                                           const std::vector<BlockPtr>& blocks, int64_t mint_ms,
                                           int64_t maxt_ms, const ReadHints& hints) {
  const std::vector<Tier> tiers = group_by_tier(blocks);
  const size_t preferred = preferred_tier(tiers, mint_ms, maxt_ms, hints);
  // Where the sources finer than the preferred tier start serving.
  const int64_t finer_from =
      preferred < tiers.size() ? std::max(mint_ms, tiers[preferred].max_time + 1) : mint_ms;

  // Without a preferred tier everything lands in `queriers`; with one, the
  // finer sources go to `finer` and are joined to it (continue_counters).
  const bool has_preferred = preferred < tiers.size();
  std::vector<std::unique_ptr<Querier>> queriers;
  std::vector<std::unique_ptr<Querier>> finer;
  std::unique_ptr<Querier> preferred_querier;
  auto& newer_sources = has_preferred ? finer : queriers;
  std::vector<std::string> served;
  const auto note_served = [&](const std::string& tier) {
    if (std::find(served.begin(), served.end(), tier) == served.end()) served.push_back(tier);
  };
  if (finer_from <= maxt_ms) {
    newer_sources.push_back(raw_source(head(finer_from, maxt_ms), hints));
    note_served("raw");
  }
  int64_t finer_min = std::numeric_limits<int64_t>::max();  // where the finer tiers' data starts
  for (size_t t = 0; t < tiers.size(); ++t) {
    const Tier& tier = tiers[t];
    const bool finer_than_preferred = has_preferred && t < preferred;
    const int64_t mint = finer_than_preferred ? finer_from : mint_ms;
    auto& sources = finer_than_preferred ? finer : queriers;
    std::vector<BlockPtr> downsampled;
    // Newest blocks first, so that on a shared timestamp the newer source wins.
    for (auto block = tier.blocks.rbegin(); block != tier.blocks.rend(); ++block) {
      const auto& meta = (*block)->meta();
      // A coarser tier only serves what no finer tier covers, unless the hints prefer it.
      if (t != preferred && tier.resolution_ms != 0 && meta.max_time >= finer_min) continue;
      if (meta.max_time < mint || meta.min_time > maxt_ms || mint > maxt_ms) continue;
      if (tier.resolution_ms == 0) {
        sources.push_back(raw_source(block::block_querier(*block, mint, maxt_ms), hints));
        note_served(meta.tier);
      } else {
        downsampled.insert(downsampled.begin(), *block);
      }
    }
    // A downsampled tier is read as a whole, so counters continue across its blocks.
    if (!downsampled.empty()) {
      note_served(downsampled.front()->meta().tier);
      auto querier = downsampled_querier(
          std::move(downsampled), mint, maxt_ms, hints.window_value,
          tiering::window_cuts(hints.range_ends_ms, hints.range_ms, tier.resolution_ms));
      if (t == preferred) {
        preferred_querier = std::move(querier);
      } else {
        sources.push_back(std::move(querier));
      }
    }
    finer_min = std::min(finer_min, tier.min_time);
  }
  if (preferred_querier) {
    // The newer data continues the tier's counters rather than looking like a reset.
    queriers.insert(queriers.begin(), finer.empty()
                                          ? std::move(preferred_querier)
                                          : continue_counters(std::move(preferred_querier),
                                                              merge_queriers(std::move(finer))));
  } else {
    for (auto& source : finer) queriers.push_back(std::move(source));
  }
  if (queriers.empty()) queriers.push_back(head(mint_ms, maxt_ms));  // nothing serves: empty
  return std::make_unique<PlannedQuerier>(merge_queriers(std::move(queriers)), std::move(served));
}

}  // namespace mc
