#include "common/store/tiering/retention_plan.hpp"

#include <algorithm>
#include <iterator>
#include <optional>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "common/store/tiering/downsample.hpp"
#include "common/util/aligned_window.hpp"

namespace mc::tiering {

namespace {

// A block as the plan sees it: on disk, or to be made by an earlier action.
struct PlannedBlock {
  BlockInfo info;
  std::optional<size_t> made_by;  // the action index, for blocks not on disk yet
};

bool overlaps(const BlockInfo& block, int64_t min_time, int64_t max_time) {
  return block.min_time < max_time && min_time < block.max_time;
}

// The starts of the windows of `duration` that overlap any of `blocks`, in order.
std::set<int64_t> windows_overlapping(const std::vector<PlannedBlock>& blocks, int64_t duration) {
  std::set<int64_t> starts;
  for (const PlannedBlock& block : blocks) {
    for (int64_t start = aligned_window_start(block.info.min_time, duration);
         start < block.info.max_time; start += duration) {
      starts.insert(start);
    }
  }
  return starts;
}

bool by_time(const PlannedBlock& a, const PlannedBlock& b) {
  return std::tie(a.info.min_time, a.info.max_time, a.info.dir) <
         std::tie(b.info.min_time, b.info.max_time, b.info.dir);
}

std::string join_indices(const std::vector<size_t>& indices) {
  return fmt::format("{}", fmt::join(indices, ", "));
}

}  // namespace

Status validate_tiers(const std::vector<TierConfig>& tiers) {
  if (tiers.empty()) return Status::error("tiers: none; the first tier must be raw");
  std::set<std::string_view> names;
  for (size_t i = 0; i < tiers.size(); ++i) {
    const TierConfig& tier = tiers[i];
    auto fail = [&](std::string_view problem) {
      return Status::error(fmt::format("tier {} ({:?}): {}", i, tier.name, problem));
    };
    if (tier.name.empty()) return fail("no name");
    if (!names.insert(tier.name).second) return fail("name used by an earlier tier");
    if (i == 0 && tier.resolution_ms != 0) return fail("the first tier must be raw (resolution 0)");
    if (tier.retention_ms <= 0) return fail("retention must be positive");
    if (tier.block_duration_ms <= 0) return fail("block duration must be positive");
    if (i == 0) continue;
    const TierConfig& finer = tiers[i - 1];
    if (tier.resolution_ms <= finer.resolution_ms) {
      return fail("resolution must be coarser than the tier before");
    }
    if (finer.resolution_ms != 0 && tier.resolution_ms % finer.resolution_ms != 0) {
      return fail("resolution must be a multiple of the tier before's");
    }
    if (tier.retention_ms < finer.retention_ms) {
      return fail("retention must not be shorter than the tier before's");
    }
    if (tier.block_duration_ms % tier.resolution_ms != 0) {
      return fail("block duration must be a multiple of the resolution");
    }
    if (tier.block_duration_ms % finer.block_duration_ms != 0) {
      return fail("block duration must be a multiple of the tier before's");
    }
  }
  return Status::ok();
}

std::vector<Action> plan(const std::vector<BlockInfo>& blocks, const std::vector<TierConfig>& tiers,
                         int64_t now_ms, const PlanOptions& options) {
  // The blocks of each configured tier, by time; blocks planned below join them.
  std::vector<std::vector<PlannedBlock>> by_tier(tiers.size());
  for (const BlockInfo& block : blocks) {
    for (size_t i = 0; i < tiers.size(); ++i) {
      if (tiers[i].name == block.tier) by_tier[i].push_back(PlannedBlock{block, std::nullopt});
    }
  }
  for (auto& tier_blocks : by_tier) std::sort(tier_blocks.begin(), tier_blocks.end(), by_time);

  std::vector<Action> actions;
  const int64_t settled = now_ms - options.settle_delay_ms;
  for (size_t target = 1; target < tiers.size(); ++target) {
    const TierConfig& source_tier = tiers[target - 1];
    const TierConfig& target_tier = tiers[target];
    const std::vector<PlannedBlock>& sources = by_tier[target - 1];
    std::vector<PlannedBlock>& made = by_tier[target];
    if (sources.empty()) continue;
    int64_t source_reach = sources.front().info.max_time;
    for (const PlannedBlock& block : sources)
      source_reach = std::max(source_reach, block.info.max_time);
    const int64_t duration = target_tier.block_duration_ms;
    std::vector<PlannedBlock> new_blocks;
    for (int64_t start : windows_overlapping(sources, duration)) {
      const int64_t end = start + duration;
      bool done = std::any_of(made.begin(), made.end(), [&](const PlannedBlock& block) {
        return overlaps(block.info, start, end);
      });
      if (done || end > settled) continue;
      bool source_moved_past = source_reach >= end;
      bool source_quiet = end <= settled - source_tier.block_duration_ms;
      if (!source_moved_past && !source_quiet) continue;
      if (end <= now_ms - target_tier.retention_ms) continue;  // nobody would keep it

      DownsampleAction action{.source_tier = source_tier.name,
                              .target_tier = target_tier.name,
                              .min_time = start,
                              .max_time = end,
                              .sources = {},
                              .source_actions = {}};
      for (const PlannedBlock& block : sources) {
        if (!overlaps(block.info, start, end)) continue;
        if (block.made_by) {
          action.source_actions.push_back(*block.made_by);
        } else {
          action.sources.push_back(block.info);
        }
      }
      new_blocks.push_back(PlannedBlock{
          BlockInfo{.dir = "", .tier = target_tier.name, .min_time = start, .max_time = end},
          actions.size()});
      actions.emplace_back(std::move(action));
    }
    made.insert(made.end(), new_blocks.begin(), new_blocks.end());
    std::sort(made.begin(), made.end(), by_time);
  }

  for (size_t tier = 0; tier < tiers.size(); ++tier) {
    for (const PlannedBlock& block : by_tier[tier]) {
      if (block.made_by) continue;
      if (block.info.max_time > now_ms - tiers[tier].retention_ms) continue;
      DropAction drop{.block = block.info, .after_actions = {}};
      bool needed = false;
      if (tier + 1 < tiers.size()) {
        const TierConfig& next = tiers[tier + 1];
        const int64_t duration = next.block_duration_ms;
        for (int64_t start = aligned_window_start(block.info.min_time, duration);
             start < block.info.max_time && !needed; start += duration) {
          const int64_t end = start + duration;
          if (end <= now_ms - next.retention_ms) continue;  // would not be kept either
          bool done = false;
          for (const PlannedBlock& coarser : by_tier[tier + 1]) {
            if (!overlaps(coarser.info, start, end)) continue;
            done = true;
            if (coarser.made_by) drop.after_actions.push_back(*coarser.made_by);
          }
          needed = !done;
        }
      }
      if (needed) continue;
      std::sort(drop.after_actions.begin(), drop.after_actions.end());
      drop.after_actions.erase(std::unique(drop.after_actions.begin(), drop.after_actions.end()),
                               drop.after_actions.end());
      actions.emplace_back(std::move(drop));
    }
  }
  return actions;
}

std::string describe(const Action& action) {
  if (const auto* downsample = std::get_if<DownsampleAction>(&action)) {
    std::string out =
        fmt::format("downsample {} -> {} [{}, {}) from ", downsample->source_tier,
                    downsample->target_tier, downsample->min_time, downsample->max_time);
    std::vector<std::string_view> dirs;
    for (const BlockInfo& source : downsample->sources) dirs.push_back(source.dir);
    fmt::format_to(std::back_inserter(out), "{}", fmt::join(dirs, ", "));
    if (!downsample->source_actions.empty()) {
      fmt::format_to(std::back_inserter(out), "{}the blocks of actions {}",
                     dirs.empty() ? "" : " and ", join_indices(downsample->source_actions));
    }
    return out;
  }
  const auto& drop = std::get<DropAction>(action);
  std::string out = fmt::format("drop {} ({} [{}, {}))", drop.block.dir, drop.block.tier,
                                drop.block.min_time, drop.block.max_time);
  if (!drop.after_actions.empty()) {
    fmt::format_to(std::back_inserter(out), " after actions {}", join_indices(drop.after_actions));
  }
  return out;
}

}  // namespace mc::tiering
