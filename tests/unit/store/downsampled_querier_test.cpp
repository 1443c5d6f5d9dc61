// downsampled_querier's series metadata: the newest block's that has any, so a
// counter whose HELP changed is served with the newer text.
#include "common/store/downsampled_querier.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "common/store/tiering/downsampled_columns.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/store/block/block_test_series.hpp"

namespace mc {
namespace {

using block::test::TestSeries;

constexpr int64_t kResolution = 300'000;

// One window per series: count 1 and every other column 1.
TestSeries one_window(const Labels& labels, const MetricMetadata* metadata, int64_t t) {
  TestSeries series{labels, metadata, {t}, {}};
  series.columns.assign(tiering::kDownsampledColumnKinds.size(), std::vector<double>{1.0});
  return series;
}

block::BlockMeta downsampled_meta(int64_t min_time, int64_t max_time) {
  block::BlockMeta meta = block::test::raw_meta(min_time, max_time);
  meta.tier = "5m";
  meta.resolution_ms = kResolution;
  meta.columns.assign(tiering::kDownsampledColumnKinds.begin(),
                      tiering::kDownsampledColumnKinds.end());
  return meta;
}

}  // namespace

TEST_CASE("a downsampled series carries the newest block's metadata",
          "[store][downsampled_querier]") {
  test::TempDir temp;
  const MetricMetadata old_help{"requests_total", MetricType::counter, "Old.", ""};
  const MetricMetadata new_help{"requests_total", MetricType::counter, "New.", ""};
  const Labels changed{{"__name__", "requests_total"}, {"job", "changed"}};
  const Labels lost{{"__name__", "requests_total"}, {"job", "lost"}};
  const Labels never{{"__name__", "requests_total"}, {"job", "never"}};

  std::vector<TestSeries> older = {one_window(changed, &old_help, 0),
                                   one_window(lost, &old_help, 0), one_window(never, nullptr, 0)};
  std::vector<TestSeries> newer = {one_window(changed, &new_help, 600'000),
                                   one_window(lost, nullptr, 600'000)};
  std::vector<std::shared_ptr<block::BlockReader>> blocks = {
      block::test::open_block(
          block::test::write_block(temp.path(), downsampled_meta(0, 599'999), older)),
      block::test::open_block(
          block::test::write_block(temp.path(), downsampled_meta(600'000, 1'199'999), newer)),
  };

  auto all = Matcher::make(Matcher::Kind::regex, "__name__", ".+");
  REQUIRE(all);
  // Kept alive while their metadata is looked at.
  const auto selected = downsampled_querier(blocks, 0, 1'199'999)->select({*all});
  std::map<std::string, const MetricMetadata*> metadata;
  for (const auto& series : selected) {
    metadata[std::string(series->labels().get("job"))] = series->metadata();
  }
  REQUIRE(metadata.size() == 3);
  REQUIRE(metadata["changed"] != nullptr);
  CHECK(*metadata["changed"] == new_help);
  REQUIRE(metadata["lost"] != nullptr);  // the newer block has none: the older's
  CHECK(*metadata["lost"] == old_help);
  CHECK(metadata["never"] == nullptr);
}

}  // namespace mc
