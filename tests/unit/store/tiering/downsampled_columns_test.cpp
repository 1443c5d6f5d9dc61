// downsampled_columns: a DownsampledSeries survives the trip through a
// block's columns, each window's first counter sample included; a block of
// the layout before those columns reads back with the window's last sample
// as its first; a malformed first-sample age is an error naming the row.
#include "common/store/tiering/downsampled_columns.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "common/store/tiering/downsample.hpp"

namespace {

using mc::Sample;
using mc::tiering::DownsampledSeries;

constexpr int64_t kResolution = 10;

DownsampledSeries downsampled(const std::vector<Sample>& raw) {
  auto series = mc::tiering::downsample_raw(raw, kResolution);
  REQUIRE(series.is_ok());
  return *series;
}

std::vector<std::vector<double>> column_vectors(const mc::tiering::DownsampledColumns& columns,
                                                size_t count) {
  return {columns.columns.begin(), columns.columns.begin() + static_cast<ptrdiff_t>(count)};
}

}  // namespace

TEST_CASE("downsampled columns: each window's first counter sample survives the round trip",
          "[tiering][downsampled_columns]") {
  // A NaN first in the second window: its first counter sample is the next one.
  const DownsampledSeries series =
      downsampled({{1, 5}, {4, 3}, {9, 7}, {11, std::nan("")}, {12, 2}, {25, 4}, {29, 1}});
  const auto columns = mc::tiering::to_columns(series);
  auto back = mc::tiering::from_columns(
      kResolution, columns.timestamps,
      column_vectors(columns, mc::tiering::kDownsampledColumnKinds.size()));
  REQUIRE(back.is_ok());
  REQUIRE(back->windows.size() == 3);
  CHECK(back->windows[1].first_t_ms == 12);
  CHECK(back->windows[1].first_counter == 14);
  for (size_t i = 0; i < series.windows.size(); ++i) {
    INFO("window " << i);
    CHECK(back->windows[i].first_t_ms == series.windows[i].first_t_ms);
    CHECK(back->windows[i].first_counter == series.windows[i].first_counter);
    CHECK(back->windows[i].counter == series.windows[i].counter);
  }
  CHECK(back->first_raw == series.first_raw);
  CHECK(back->last_raw == series.last_raw);
}

TEST_CASE("downsampled columns: a block of the layout before reads its windows' last samples",
          "[tiering][downsampled_columns]") {
  const DownsampledSeries series = downsampled({{1, 5}, {4, 3}, {9, 7}, {12, 2}, {25, 4}});
  const auto columns = mc::tiering::to_columns(series);
  auto back = mc::tiering::from_columns(
      kResolution, columns.timestamps,
      column_vectors(columns, mc::tiering::kDownsampledColumnsBeforeWindowFirst));
  REQUIRE(back.is_ok());
  REQUIRE(back->windows.size() == 3);
  for (const auto& window : back->windows) {
    CHECK(window.first_t_ms == window.t_ms);
    CHECK(window.first_counter == window.counter);
  }
  // Its counter points: the span's first raw sample, then one per window.
  std::vector<DownsampledSeries> spans{*back};
  CHECK(mc::tiering::counter_points(spans) ==
        std::vector<Sample>{{1, 5}, {9, 12}, {12, 14}, {25, 16}});

  const std::vector<mc::block::ColumnKind> before(
      mc::tiering::kDownsampledColumnKinds.begin(),
      mc::tiering::kDownsampledColumnKinds.begin() +
          mc::tiering::kDownsampledColumnsBeforeWindowFirst);
  CHECK(mc::tiering::downsampled_column_count(before) ==
        mc::tiering::kDownsampledColumnsBeforeWindowFirst);
  CHECK(mc::tiering::downsampled_column_count(mc::tiering::kDownsampledColumnKinds) ==
        mc::tiering::kDownsampledColumnKinds.size());
  CHECK(mc::tiering::downsampled_column_count(std::vector{mc::block::ColumnKind::value}) == 0);
}

TEST_CASE(
    "downsampled columns: a first sample age that is not a whole number, or before the row "
    "before, is an error naming the row",
    "[tiering][downsampled_columns]") {
  const DownsampledSeries series = downsampled({{1, 5}, {4, 3}, {9, 7}, {12, 2}, {25, 4}});
  const auto columns = mc::tiering::to_columns(series);
  auto with_age = [&](size_t row, double age) {
    auto vectors = column_vectors(columns, mc::tiering::kDownsampledColumnKinds.size());
    vectors[mc::tiering::kDownsampledColumnsBeforeWindowFirst][row] = age;
    return mc::tiering::from_columns(kResolution, columns.timestamps, vectors);
  };
  REQUIRE(with_age(1, 0).is_ok());
  for (const double age : {-1.0, 0.5, std::nan(""), 3.0}) {
    INFO("age " << age);
    auto parsed = with_age(1, age);  // row 1 is at 12, the row before at 9
    REQUIRE_FALSE(parsed.is_ok());
    CHECK(parsed.error() ==
          "downsampled series: row 1: first sample age " + fmt::format("{}", age) + " invalid");
  }
  auto wrong_count =
      mc::tiering::from_columns(kResolution, columns.timestamps, column_vectors(columns, 10));
  REQUIRE_FALSE(wrong_count.is_ok());
  CHECK(wrong_count.error() == "downsampled series: 10 columns, want 11 (or 9)");
}
