// HeadSeriesTable against a reference std::unordered_map under random inserts
// and removals: removal shifts entries back within their runs, and a mistake
// there shows as a series that can no longer be found.
#include "common/store/head_series_table.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

using mc::HeadSeries;
using mc::HeadSeriesPool;
using mc::HeadSeriesTable;
using mc::Labels;

namespace {

Labels labels_of(uint64_t n) {
  return Labels{{"__name__", "m"}, {"instance", "host-" + std::to_string(n)}};
}

}  // namespace

TEST_CASE("HeadSeriesTable finds what it holds and nothing else", "[store][series_table]") {
  HeadSeriesPool pool;
  HeadSeriesTable table;
  REQUIRE(table.find(labels_of(1)) == nullptr);
  REQUIRE(table.memory_bytes() == 0);
  std::vector<HeadSeries*> held;
  for (uint64_t n = 0; n < 1'000; ++n) {
    auto series = pool.create(n + 1, mc::SharedLabels(labels_of(n)));
    held.push_back(series.get());
    table.insert(std::move(series));
  }
  REQUIRE(table.size() == 1'000);
  for (uint64_t n = 0; n < 1'000; ++n) REQUIRE(table.find(labels_of(n)) == held[n]);
  REQUIRE(table.find(labels_of(1'000)) == nullptr);
  REQUIRE(table.find(Labels{{"__name__", "m"}}) == nullptr);
  size_t visited = 0;
  table.for_each([&](const HeadSeries&) { ++visited; });
  REQUIRE(visited == 1'000);
  // At most 7/8 full, and at least 3/8 after a doubling: 1,000 fit 2,048 slots.
  REQUIRE(table.memory_bytes() == 2'048 * sizeof(uint64_t));
}

TEST_CASE("HeadSeriesTable keeps every other series findable through random removals",
          "[store][series_table]") {
  HeadSeriesPool pool;
  HeadSeriesTable table;
  std::unordered_map<uint64_t, HeadSeries*> reference;
  std::mt19937_64 random(42);
  uint64_t next = 0;
  for (int round = 0; round < 20'000; ++round) {
    if (reference.empty() || random() % 3 != 0) {
      const uint64_t n = next++;
      auto series = pool.create(n + 1, mc::SharedLabels(labels_of(n)));
      reference.emplace(n, series.get());
      table.insert(std::move(series));
    } else {
      auto it = reference.begin();
      std::advance(it,
                   static_cast<std::ptrdiff_t>(random() % std::min<size_t>(reference.size(), 64)));
      table.erase(it->second);
      reference.erase(it);
    }
    if (round % 997 == 0) {
      for (const auto& [n, series] : reference) REQUIRE(table.find(labels_of(n)) == series);
    }
  }
  REQUIRE(table.size() == reference.size());
  for (const auto& [n, series] : reference) REQUIRE(table.find(labels_of(n)) == series);
  for (uint64_t n = 0; n < next; ++n) {
    if (reference.count(n) == 0) REQUIRE(table.find(labels_of(n)) == nullptr);
  }
}

TEST_CASE("HeadSeriesTable refuses to erase a series it does not hold", "[store][series_table]") {
  HeadSeriesPool pool;
  HeadSeriesTable table;
  table.insert(pool.create(1, mc::SharedLabels(labels_of(1))));
  auto stranger = pool.create(2, mc::SharedLabels(labels_of(2)));
  REQUIRE_THROWS_AS(table.erase(stranger.get()), std::logic_error);
  REQUIRE(table.find(labels_of(1)) != nullptr);
}
