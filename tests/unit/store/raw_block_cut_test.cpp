#include "common/store/raw_block_cut.hpp"

#include <catch2/catch.hpp>

#include "common/store/block/block_reader.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc {
namespace {

namespace fs = std::filesystem;

TEST_CASE("A raw block cut writes the window's meta and its series", "[store][cut]") {
  test::TempDir dir;
  fs::create_directories(dir.path() / "blocks");
  RawBlockCut cut(dir.path() / "blocks", "raw", 0, 9'999);
  const MetricMetadata metadata{"up", MetricType::gauge, "1 when up", ""};
  const std::vector<int64_t> timestamps = {1'000, 2'000};
  const std::vector<double> values = {1, 0};
  REQUIRE(cut.add_series(Labels{{"__name__", "down"}}, nullptr, {}, {}));  // empty: skipped
  REQUIRE(cut.add_series(Labels{{"__name__", "up"}}, &metadata, timestamps, values));
  auto finished = cut.finish();
  REQUIRE(finished);
  REQUIRE(*finished);
  CHECK(**finished == (dir.path() / "blocks" / "raw-0-9999").string());

  auto reader = block::BlockReader::open(**finished);
  REQUIRE(reader);
  const auto& meta = (*reader)->meta();
  CHECK(meta.tier == "raw");
  CHECK(meta.resolution_ms == 0);
  CHECK(meta.min_time == 0);  // the whole window, not the samples' range
  CHECK(meta.max_time == 9'999);
  CHECK(meta.series == 1);
  CHECK(meta.samples == 2);
  REQUIRE((*reader)->num_series() == 1);
  CHECK((*reader)->labels(0) == Labels{{"__name__", "up"}});
  REQUIRE((*reader)->metadata(0) != nullptr);
  CHECK(*(*reader)->metadata(0) == metadata);
}

TEST_CASE("A raw block cut of an empty window leaves nothing on disk", "[store][cut]") {
  test::TempDir dir;
  fs::create_directories(dir.path() / "blocks");
  {
    RawBlockCut cut(dir.path() / "blocks", "raw", 0, 9'999);
    REQUIRE(cut.add_series(Labels{{"__name__", "up"}}, nullptr, {}, {}));
    auto finished = cut.finish();
    REQUIRE(finished);
    CHECK_FALSE(*finished);
  }
  {
    // Dropped before finish(): the half-written block goes with it.
    RawBlockCut cut(dir.path() / "blocks", "raw", 10'000, 19'999);
    const std::vector<int64_t> timestamps = {10'000};
    const std::vector<double> values = {1};
    REQUIRE(cut.add_series(Labels{{"__name__", "up"}}, nullptr, timestamps, values));
  }
  CHECK(fs::is_empty(dir.path() / "blocks"));
}

TEST_CASE("A raw block cut refuses series out of label order", "[store][cut]") {
  test::TempDir dir;
  fs::create_directories(dir.path() / "blocks");
  RawBlockCut cut(dir.path() / "blocks", "raw", 0, 9'999);
  const std::vector<int64_t> timestamps = {1'000};
  const std::vector<double> values = {1};
  REQUIRE(cut.add_series(Labels{{"__name__", "b"}}, nullptr, timestamps, values));
  CHECK_FALSE(cut.add_series(Labels{{"__name__", "a"}}, nullptr, timestamps, values));
}

}  // namespace
}  // namespace mc
