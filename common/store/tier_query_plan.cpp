#include "common/store/tier_query_plan.hpp"

#include <algorithm>
#include <limits>

#include "common/store/block/block_querier.hpp"
#include "common/store/downsampled_querier.hpp"
#include "common/store/merge_querier.hpp"

namespace mc {

std::unique_ptr<Querier> plan_tier_querier(
    std::unique_ptr<Querier> head, const std::vector<std::shared_ptr<block::BlockReader>>& blocks,
    int64_t mint_ms, int64_t maxt_ms) {
  std::vector<std::unique_ptr<Querier>> queriers;
  queriers.push_back(std::move(head));
  int64_t finer_min = std::numeric_limits<int64_t>::max();  // where the finer tiers' data starts
  for (size_t i = 0; i < blocks.size();) {
    const int64_t resolution = blocks[i]->meta().resolution_ms;
    size_t end = i;
    while (end < blocks.size() && blocks[end]->meta().resolution_ms == resolution) ++end;
    int64_t tier_min = std::numeric_limits<int64_t>::max();
    std::vector<std::shared_ptr<block::BlockReader>> downsampled;
    // Newest blocks first, so that on a shared timestamp the newer source wins.
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

}  // namespace mc
