// VisitedSeries: an open-addressed set of series addresses (see visited_series.hpp).
#include "exporter/visited_series.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <vector>

namespace mc {
namespace {

TEST_CASE("VisitedSeries tells a series seen before from a new one, across growth",
          "[exporter][stream]") {
  // Real heap addresses, as the renderer passes: aligned, close together.
  std::vector<std::unique_ptr<int>> series;
  for (int i = 0; i < 5000; ++i) series.push_back(std::make_unique<int>(i));
  VisitedSeries visited;
  for (const auto& one : series) CHECK(visited.insert(one.get()));
  CHECK(visited.size() == 5000);
  // Every one again (the store handing a stripe out twice): all known.
  size_t repeated = 0;
  for (const auto& one : series) repeated += visited.insert(one.get()) ? 0 : 1;
  CHECK(repeated == 5000);
  CHECK(visited.size() == 5000);
  int other = 0;
  CHECK(visited.insert(&other));
  CHECK_FALSE(visited.insert(&other));
}

}  // namespace
}  // namespace mc
