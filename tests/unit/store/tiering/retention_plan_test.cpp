// Retention and downsampling planning with a fake clock: the exact actions at
// the edges (retention, settle delay, a source that went quiet, a source still
// needed by a coarser tier, tiers chained in one plan), and a simulated year
// of blocks checked for the invariants every hour: the plan is a fixed point,
// nothing outlives its retention, nothing is dropped before the coarser tier
// holds it, and every window is downsampled.
#include "common/store/tiering/retention_plan.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/store/tiering/downsample.hpp"
#include "common/util/aligned_window.hpp"

using mc::tiering::Action;
using mc::tiering::BlockInfo;
using mc::tiering::DownsampleAction;
using mc::tiering::DropAction;
using mc::tiering::TierConfig;

namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

std::string hours(int64_t ms) { return std::to_string(ms / kHour) + "h"; }

// The config's default tiers (common/config/storage_defaults.hpp), spelled out:
// the store has no defaults of its own.
std::vector<TierConfig> standard_tiers() {
  return {{"raw", 0, 7 * kDay, 2 * kHour},
          {"5m", 5 * kMinute, 30 * kDay, 24 * kHour},
          {"1h", kHour, 365 * kDay, 12 * kDay}};
}

BlockInfo block(const std::string& tier, int64_t min_time, int64_t max_time) {
  return BlockInfo{.dir = tier + "-" + hours(min_time),
                   .tier = tier,
                   .min_time = min_time,
                   .max_time = max_time};
}

// Raw blocks of 2h from `from` to `to`.
std::vector<BlockInfo> raw_blocks(int64_t from, int64_t to) {
  std::vector<BlockInfo> blocks;
  for (int64_t t = from; t < to; t += 2 * kHour) blocks.push_back(block("raw", t, t + 2 * kHour));
  return blocks;
}

std::vector<std::string> describe_all(const std::vector<Action>& actions) {
  std::vector<std::string> lines;
  for (const Action& action : actions) lines.push_back(mc::tiering::describe(action));
  return lines;
}

// Carries the actions out as the store would: new blocks named after their
// tier and start, dropped blocks removed.
void apply_actions(std::vector<BlockInfo>& blocks, const std::vector<Action>& actions) {
  for (const Action& action : actions) {
    if (const auto* downsample = std::get_if<DownsampleAction>(&action)) {
      blocks.push_back(block(downsample->target_tier, downsample->min_time, downsample->max_time));
    } else {
      const BlockInfo& dropped = std::get<DropAction>(action).block;
      auto it = std::find(blocks.begin(), blocks.end(), dropped);
      REQUIRE(it != blocks.end());
      blocks.erase(it);
    }
  }
}

std::string raw_dirs(int64_t from, int64_t to) {
  std::string dirs;
  for (const BlockInfo& raw : raw_blocks(from, to)) {
    if (!dirs.empty()) dirs += ", ";
    dirs += raw.dir;
  }
  return dirs;
}

const std::vector<TierConfig> kTwoTiers{{"raw", 0, 1 * kDay, 2 * kHour},
                                        {"5m", 5 * kMinute, 30 * kDay, 24 * kHour}};

}  // namespace

TEST_CASE("retention plan: the standard tiers are valid", "[tiering][plan]") {
  CHECK(mc::tiering::validate_tiers(standard_tiers()).is_ok());
}

TEST_CASE("retention plan: tier rules", "[tiering][plan]") {
  auto error = [](std::vector<TierConfig> tiers) {
    auto status = mc::tiering::validate_tiers(tiers);
    REQUIRE_FALSE(status.is_ok());
    return status.message();
  };
  const TierConfig raw{"raw", 0, 7 * kDay, 2 * kHour};
  CHECK(error({}) == "tiers: none; the first tier must be raw");
  CHECK(error({{"5m", 5 * kMinute, kDay, kDay}}) ==
        "tier 0 (\"5m\"): the first tier must be raw (resolution 0)");
  CHECK(error({raw, {"raw2", 0, 7 * kDay, kDay}}) ==
        "tier 1 (\"raw2\"): resolution must be coarser than the tier before");
  CHECK(
      error(
          {raw, {"5m", 5 * kMinute, 30 * kDay, kDay}, {"7m", 7 * kMinute, 30 * kDay, 7 * kDay}}) ==
      "tier 2 (\"7m\"): resolution must be a multiple of the tier before's");
  CHECK(error({raw, {"5m", 5 * kMinute, 1 * kDay, kDay}}) ==
        "tier 1 (\"5m\"): retention must not be shorter than the tier before's");
  CHECK(error({raw, {"5m", 5 * kMinute, 30 * kDay, 3 * kHour}}) ==
        "tier 1 (\"5m\"): block duration must be a multiple of the tier before's");
  CHECK(error({raw, {"7m", 7 * kMinute, 30 * kDay, 2 * kHour}}) ==
        "tier 1 (\"7m\"): block duration must be a multiple of the resolution");
  CHECK(error({raw, {"raw", 5 * kMinute, 30 * kDay, kDay}}) ==
        "tier 1 (\"raw\"): name used by an earlier tier");
  CHECK(error({{"raw", 0, 0, 2 * kHour}}) == "tier 0 (\"raw\"): retention must be positive");
}

TEST_CASE("retention plan: a block is dropped once all of it is past retention",
          "[tiering][plan]") {
  const std::vector<TierConfig> tiers{{"raw", 0, 7 * kDay, 2 * kHour}};
  const std::vector<BlockInfo> blocks{block("raw", 0, 2 * kHour),
                                      block("raw", 2 * kHour, 4 * kHour)};
  CHECK(mc::tiering::plan(blocks, tiers, 7 * kDay + 2 * kHour - 1).empty());
  CHECK(describe_all(mc::tiering::plan(blocks, tiers, 7 * kDay + 2 * kHour)) ==
        std::vector<std::string>{"drop raw-0h (raw [0, 7200000))"});
  CHECK(describe_all(mc::tiering::plan(blocks, tiers, 8 * kDay)) ==
        std::vector<std::string>{"drop raw-0h (raw [0, 7200000))",
                                 "drop raw-2h (raw [7200000, 14400000))"});
}

TEST_CASE("retention plan: a window is downsampled once it has settled and raw moved past it",
          "[tiering][plan]") {
  const auto tiers = standard_tiers();
  const auto blocks = raw_blocks(0, 26 * kHour);
  // The window [0, 24h) ends an hour (the settle delay) before now.
  CHECK(mc::tiering::plan(blocks, tiers, 25 * kHour - 1).empty());
  auto actions = mc::tiering::plan(blocks, tiers, 25 * kHour);
  CHECK(describe_all(actions) ==
        std::vector<std::string>{"downsample raw -> 5m [0, 86400000) from " +
                                 raw_dirs(0, 24 * kHour)});
  REQUIRE(actions.size() == 1);
  CHECK(std::get<DownsampleAction>(actions[0]).sources.size() == 12);

  // Done once a 5m block covers the window.
  auto after = blocks;
  apply_actions(after, actions);
  CHECK(mc::tiering::plan(after, tiers, 25 * kHour).empty());
  CHECK(mc::tiering::plan(after, tiers, 40 * kHour).empty());
}

TEST_CASE("retention plan: a window whose source went quiet is downsampled later",
          "[tiering][plan]") {
  // Raw data stops at 22h (the collector stopped): raw never reaches the
  // window's end, so the plan waits a raw block length past the settle delay.
  const auto tiers = standard_tiers();
  const auto blocks = raw_blocks(0, 22 * kHour);
  CHECK(mc::tiering::plan(blocks, tiers, 27 * kHour - 1).empty());
  CHECK(describe_all(mc::tiering::plan(blocks, tiers, 27 * kHour)) ==
        std::vector<std::string>{"downsample raw -> 5m [0, 86400000) from " +
                                 raw_dirs(0, 22 * kHour)});
}

TEST_CASE("retention plan: a source block outlives its retention until the coarser block exists",
          "[tiering][plan]") {
  // Raw kept 1d, 5m kept 30d; raw stops at 22h.
  const auto blocks = raw_blocks(0, 22 * kHour);
  // At 26h raw-0h is past retention, but its 5m window cannot be made yet.
  CHECK(mc::tiering::plan(blocks, kTwoTiers, 26 * kHour).empty());
  // At 27h the window is made, and raw-0h may go once it has been.
  auto actions = mc::tiering::plan(blocks, kTwoTiers, 27 * kHour);
  CHECK(
      describe_all(actions) ==
      std::vector<std::string>{"downsample raw -> 5m [0, 86400000) from " + raw_dirs(0, 22 * kHour),
                               "drop raw-0h (raw [0, 7200000)) after actions 0"});
  auto after = blocks;
  apply_actions(after, actions);
  CHECK(mc::tiering::plan(after, kTwoTiers, 27 * kHour).empty());
  // Later, raw blocks go as they expire, with no wait.
  CHECK(describe_all(mc::tiering::plan(after, kTwoTiers, 28 * kHour)) ==
        std::vector<std::string>{"drop raw-2h (raw [7200000, 14400000))"});
}

TEST_CASE("retention plan: a block on two windows waits for both", "[tiering][plan]") {
  // A raw block across midnight (blocks need not be aligned).
  std::vector<BlockInfo> blocks{block("raw", 23 * kHour, 25 * kHour),
                                block("raw", 25 * kHour, 50 * kHour), block("5m", 0, 24 * kHour)};
  // Raw-23h is past retention; it goes once both its windows are made, the
  // second one in this same plan.
  auto actions = mc::tiering::plan(blocks, kTwoTiers, 49 * kHour + 1);
  CHECK(describe_all(actions) ==
        std::vector<std::string>{"downsample raw -> 5m [86400000, 172800000) from raw-23h, raw-25h",
                                 "drop raw-23h (raw [82800000, 90000000)) after actions 0"});
  // The same with the first window the one left to make.
  blocks.pop_back();
  blocks.push_back(block("5m", 24 * kHour, 48 * kHour));
  CHECK(describe_all(mc::tiering::plan(blocks, kTwoTiers, 49 * kHour + 1)) ==
        std::vector<std::string>{"downsample raw -> 5m [0, 86400000) from raw-23h",
                                 "drop raw-23h (raw [82800000, 90000000)) after actions 0"});
}

TEST_CASE("retention plan: tiers chain in one plan", "[tiering][plan]") {
  const std::vector<TierConfig> tiers{{"raw", 0, 30 * kDay, 2 * kHour},
                                      {"5m", 5 * kMinute, 60 * kDay, 24 * kHour},
                                      {"1h", kHour, 365 * kDay, 48 * kHour}};
  std::vector<BlockInfo> blocks = raw_blocks(0, 50 * kHour);
  blocks.push_back(block("5m", 0, 24 * kHour));
  auto actions = mc::tiering::plan(blocks, tiers, 52 * kHour);
  CHECK(describe_all(actions) ==
        std::vector<std::string>{
            "downsample raw -> 5m [86400000, 172800000) from " + raw_dirs(24 * kHour, 48 * kHour),
            "downsample 5m -> 1h [0, 172800000) from 5m-0h and the blocks of actions 0"});
  REQUIRE(actions.size() == 2);
  CHECK(std::get<DownsampleAction>(actions[1]).source_actions == std::vector<size_t>{0});
  apply_actions(blocks, actions);
  CHECK(mc::tiering::plan(blocks, tiers, 52 * kHour).empty());
}

TEST_CASE("retention plan: data nobody keeps is not downsampled", "[tiering][plan]") {
  // Old raw blocks, e.g. after raw retention was shortened: their 5m window
  // is past the 5m retention too, so they go without a downsample.
  const auto tiers = standard_tiers();
  const auto blocks = raw_blocks(0, 4 * kHour);
  CHECK(describe_all(mc::tiering::plan(blocks, tiers, 60 * kDay)) ==
        std::vector<std::string>{"drop raw-0h (raw [0, 7200000))",
                                 "drop raw-2h (raw [7200000, 14400000))"});
}

TEST_CASE("retention plan: blocks of a tier not configured are left alone", "[tiering][plan]") {
  const std::vector<BlockInfo> blocks{block("10m", 0, kDay), block("raw", 0, 2 * kHour)};
  CHECK(describe_all(mc::tiering::plan(blocks, standard_tiers(), 400 * kDay)) ==
        std::vector<std::string>{"drop raw-0h (raw [0, 7200000))"});
}

TEST_CASE("retention plan: a simulated year and a month, hour by hour", "[tiering][plan]") {
  const auto tiers = standard_tiers();
  const int64_t start = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
  const int64_t end = start + 400 * kDay;
  // The collector was down from day 100 to day 103, 5h in.
  const int64_t down_from = start + 100 * kDay + 5 * kHour;
  const int64_t down_to = start + 103 * kDay;

  std::vector<BlockInfo> blocks;
  std::vector<int64_t> raw_history;  // starts of every raw block ever written
  int64_t next_raw = start;
  size_t downsamples = 0;
  size_t drops = 0;
  for (int64_t now = start + kHour; now <= end; now += kHour) {
    // The head cuts a 2h block an hour after its end.
    while (next_raw + 2 * kHour + kHour <= now) {
      if (next_raw + 2 * kHour <= down_from || next_raw >= down_to) {
        blocks.push_back(block("raw", next_raw, next_raw + 2 * kHour));
        raw_history.push_back(next_raw);
      }
      next_raw += 2 * kHour;
    }
    auto actions = mc::tiering::plan(blocks, tiers, now);
    for (const Action& action : actions) {
      if (const auto* drop = std::get_if<DropAction>(&action)) {
        const TierConfig& tier =
            *std::find_if(tiers.begin(), tiers.end(),
                          [&](const TierConfig& t) { return t.name == drop->block.tier; });
        INFO(mc::tiering::describe(action) << " at " << now);
        REQUIRE(drop->block.max_time <= now - tier.retention_ms);
        ++drops;
      } else {
        ++downsamples;
      }
    }
    apply_actions(blocks, actions);
    INFO("now " << now << " (day " << (now - start) / kDay << ")");
    REQUIRE(describe_all(mc::tiering::plan(blocks, tiers, now)) == std::vector<std::string>{});

    if ((now - start) % kDay != 0 && now != end) continue;
    // Once a day: what each tier holds.
    std::map<std::string, std::set<int64_t>> starts;
    for (const BlockInfo& b : blocks) {
      const TierConfig& tier = *std::find_if(tiers.begin(), tiers.end(),
                                             [&](const TierConfig& t) { return t.name == b.tier; });
      REQUIRE(b.max_time > now - tier.retention_ms);  // nothing outlives its retention
      starts[b.tier].insert(b.min_time);
    }
    // Plain checks and one FAIL: a million Catch assertions would be slow.
    for (int64_t raw_start : raw_history) {
      if (raw_start + 2 * kHour > now - tiers[0].retention_ms &&
          starts["raw"].count(raw_start) == 0) {
        FAIL("raw block at " << raw_start << " dropped before its retention");
      }
      for (size_t i = 1; i < tiers.size(); ++i) {
        int64_t window = mc::aligned_window_start(raw_start, tiers[i].block_duration_ms);
        int64_t window_end = window + tiers[i].block_duration_ms;
        bool kept = window_end > now - tiers[i].retention_ms;
        bool due = window_end + 2 * kDay <= now;
        if (kept && due && starts[tiers[i].name].count(window) == 0) {
          FAIL("no " << tiers[i].name << " block for the window at " << window
                     << " holding the raw block at " << raw_start);
        }
      }
    }
  }
  std::map<std::string, size_t> counts;
  for (const BlockInfo& b : blocks) ++counts[b.tier];
  CHECK(counts["raw"] >= 83);  // 7d of 2h blocks, less the newest still in the head
  CHECK(counts["raw"] <= 84);
  CHECK(counts["5m"] >= 29);  // 30d of 24h blocks, less the newest day
  CHECK(counts["5m"] <= 30);
  CHECK(counts["1h"] >= 30);  // 365d of 12d blocks
  CHECK(counts["1h"] <= 31);
  CHECK(downsamples > 400);
  CHECK(drops > 4000);
}
