// plan_raw_merges: which windows of raw blocks become one block, and when.
#include "common/store/tiering/raw_merge_plan.hpp"

#include <catch2/catch.hpp>

namespace raw_merge_plan_test {

using mc::tiering::BlockInfo;
using mc::tiering::plan_raw_merges;

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;

BlockInfo raw(int64_t min_time, int64_t max_time) {
  return BlockInfo{"raw-" + std::to_string(min_time), "raw", min_time, max_time};
}

TEST_CASE("raw merge plan: a complete day of 2-hour blocks becomes one", "[tiering]") {
  std::vector<BlockInfo> blocks;
  for (int64_t h = 22; h >= 0; h -= 2) blocks.push_back(raw(h * kHour, (h + 2) * kHour));
  blocks.push_back(raw(kDay, kDay + 2 * kHour));  // the next day's first
  const auto actions = plan_raw_merges(blocks, kDay, kDay + 2 * kHour);
  REQUIRE(actions.size() == 1);
  CHECK(actions[0].min_time == 0);
  CHECK(actions[0].max_time == kDay);
  REQUIRE(actions[0].sources.size() == 12);
  for (size_t i = 0; i < 12; ++i) {
    CHECK(actions[0].sources[i].min_time == static_cast<int64_t>(i) * 2 * kHour);
  }
  SECTION("not while the head may still cut a block of the day") {
    CHECK(plan_raw_merges(blocks, kDay, kDay - 1).empty());
    CHECK(plan_raw_merges(blocks, kDay, kDay).size() == 1);
  }
  SECTION("no window length, no merges") { CHECK(plan_raw_merges(blocks, 0, INT64_MAX).empty()); }
}

TEST_CASE("raw merge plan: what stays as it is", "[tiering]") {
  SECTION("a window of one block, merged or not") {
    CHECK(plan_raw_merges({raw(0, kDay)}, kDay, INT64_MAX).empty());
    CHECK(plan_raw_merges({raw(0, 2 * kHour)}, kDay, INT64_MAX).empty());
  }
  SECTION("a block of the whole window keeps later ones beside it") {
    CHECK(plan_raw_merges({raw(0, kDay), raw(kDay - 2 * kHour, kDay)}, kDay, INT64_MAX).empty());
  }
  SECTION("two blocks are enough") {
    const auto actions =
        plan_raw_merges({raw(0, kDay - 2 * kHour), raw(kDay - 2 * kHour, kDay)}, kDay, INT64_MAX);
    REQUIRE(actions.size() == 1);
    CHECK(actions[0].sources.size() == 2);
  }
  SECTION("a block across a window's edge keeps both windows unmerged") {
    const std::vector<BlockInfo> blocks{raw(0, 2 * kHour),
                                        raw(2 * kHour, 4 * kHour),
                                        raw(23 * kHour, 25 * kHour),
                                        raw(kDay + kHour, kDay + 3 * kHour),
                                        raw(kDay + 3 * kHour, kDay + 5 * kHour),
                                        raw(2 * kDay, 2 * kDay + 2 * kHour),
                                        raw(2 * kDay + 2 * kHour, 2 * kDay + 4 * kHour)};
    const auto actions = plan_raw_merges(blocks, kDay, INT64_MAX);
    REQUIRE(actions.size() == 1);
    CHECK(actions[0].min_time == 2 * kDay);
  }
  SECTION("times before 1970 fall in their own windows") {
    const auto actions = plan_raw_merges(
        {raw(-2 * kHour, 0), raw(-4 * kHour, -2 * kHour), raw(0, 2 * kHour)}, kDay, INT64_MAX);
    REQUIRE(actions.size() == 1);
    CHECK(actions[0].min_time == -kDay);
    CHECK(actions[0].sources.size() == 2);
  }
}

}  // namespace raw_merge_plan_test
