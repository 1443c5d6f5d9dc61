#include "common/store/series_ref_map.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <unordered_map>
#include <vector>

using mc::HeadSeries;
using mc::SeriesRefMap;

namespace {

HeadSeries* fake_series(uint64_t n) { return reinterpret_cast<HeadSeries*>(n * 16); }

}  // namespace

TEST_CASE("SeriesRefMap finds, inserts and erases", "[store][refmap]") {
  SeriesRefMap map;
  REQUIRE(map.find(1) == nullptr);
  REQUIRE_FALSE(map.erase(1));
  map.insert(17, fake_series(1));
  map.insert(33, fake_series(2));
  REQUIRE(map.find(17) == fake_series(1));
  REQUIRE(map.find(33) == fake_series(2));
  REQUIRE(map.find(49) == nullptr);
  REQUIRE(map.erase(17));
  REQUIRE(map.find(17) == nullptr);
  REQUIRE(map.find(33) == fake_series(2));
  REQUIRE(map.size() == 1);
}

TEST_CASE("SeriesRefMap agrees with std::unordered_map under random churn", "[store][refmap]") {
  SeriesRefMap map;
  std::unordered_map<uint64_t, HeadSeries*> reference;
  std::mt19937_64 random(3);
  uint64_t next_id = 1;
  for (int step = 0; step < 200'000; ++step) {
    const auto action = random() % 3;
    if (action < 2 || reference.empty()) {
      // Refs shaped like HeadStorage's: id << 4 | stripe.
      const uint64_t ref = (next_id++ << 4) | (random() % 16);
      map.insert(ref, fake_series(ref));
      reference.emplace(ref, fake_series(ref));
    } else {
      // Erase a present ref (picked by probing from a random one) or a missing one.
      const uint64_t probe = ((random() % next_id) << 4) | (random() % 16);
      const bool present = reference.erase(probe) == 1;
      REQUIRE(map.erase(probe) == present);
    }
    if (step % 20000 == 0) {
      REQUIRE(map.size() == reference.size());
      for (const auto& [ref, series] : reference) REQUIRE(map.find(ref) == series);
      size_t visited = 0;
      map.for_each([&](HeadSeries* series) {
        ++visited;
        REQUIRE(series != nullptr);
      });
      REQUIRE(visited == reference.size());
    }
  }
}

TEST_CASE("SeriesRefMap with stripe bits agrees with std::unordered_map", "[store][refmap]") {
  // As in a HeadStorage stripe: ids numbered consecutively above 4 stripe bits,
  // old ones removed in bursts, some kept for long.
  SeriesRefMap map(4);
  std::unordered_map<uint64_t, HeadSeries*> reference;
  std::mt19937_64 random(5);
  uint64_t next_id = 1;
  for (int round = 0; round < 200; ++round) {
    for (int i = 0; i < 300; ++i) {
      const uint64_t ref = (next_id++ << 4) | 5;
      map.insert(ref, fake_series(ref));
      reference.emplace(ref, fake_series(ref));
    }
    for (auto it = reference.begin(); it != reference.end();) {
      if (random() % 4 != 0) {
        REQUIRE(map.erase(it->first));
        it = reference.erase(it);
      } else {
        ++it;
      }
    }
    REQUIRE(map.size() == reference.size());
    for (const auto& [ref, series] : reference) REQUIRE(map.find(ref) == series);
    REQUIRE(map.find((next_id << 4) | 5) == nullptr);
  }
}

// HeadStorage::read_series_in_steps relies on this: between two reads with an
// equal layout_version, no entry changed slot, so a slot cursor stays exact.
TEST_CASE("SeriesRefMap's layout version changes exactly when entries may move",
          "[store][refmap]") {
  SeriesRefMap map(4);
  auto ref_of = [](uint64_t number) { return (number << 4) | 3; };
  std::vector<HeadSeries*> slots;
  auto snapshot = [&] {
    slots.clear();
    for (size_t i = 0; i < map.slot_count(); ++i) slots.push_back(map.at_slot(i));
  };
  // Every series of the snapshot but `erased` is in the slot it was in.
  auto unmoved = [&](HeadSeries* erased = nullptr) {
    size_t kept = 0;
    for (size_t i = 0; i < slots.size(); ++i) {
      if (slots[i] == nullptr || slots[i] == erased) continue;
      if (map.at_slot(i) != slots[i]) return false;
      ++kept;
    }
    return kept > 0;
  };
  map.insert(ref_of(1), fake_series(1));  // the first insert allocates: a grow
  uint64_t version = map.layout_version();
  snapshot();
  // More series of the same page, and one in a second page (the table of 4
  // page slots holds 2 before it grows): nothing moves.
  for (uint64_t number = 2; number < 40; ++number) map.insert(ref_of(number), fake_series(number));
  map.insert(ref_of(100), fake_series(100));
  CHECK(map.layout_version() == version);
  CHECK(unmoved());
  snapshot();
  // A third page grows the table.
  map.insert(ref_of(200), fake_series(200));
  CHECK(map.layout_version() != version);
  version = map.layout_version();
  snapshot();
  // An erase that leaves its page in use moves nothing.
  REQUIRE(map.erase(ref_of(1)));
  CHECK(map.layout_version() == version);
  CHECK(unmoved(fake_series(1)));
  // An erase that empties a page frees it: pages may shift back.
  REQUIRE(map.erase(ref_of(100)));
  CHECK(map.layout_version() != version);
  version = map.layout_version();
  // A failed erase changes nothing.
  REQUIRE_FALSE(map.erase(ref_of(1)));
  REQUIRE_FALSE(map.erase(ref_of(100)));
  REQUIRE_FALSE(map.erase(ref_of(5000)));
  CHECK(map.layout_version() == version);
  CHECK(map.find(ref_of(2)) == fake_series(2));
  CHECK(map.find(ref_of(200)) == fake_series(200));
  CHECK(map.size() == 39);
}

TEST_CASE("SeriesRefMap frees a page when its last series goes", "[store][refmap]") {
  SeriesRefMap map(4);
  const size_t empty_bytes = map.memory_bytes();
  for (uint64_t number = 1; number <= 1000; ++number) {
    map.insert((number << 4) | 7, fake_series(number));
  }
  const size_t full_bytes = map.memory_bytes();
  // About 8 bytes a series in full pages, plus the small page table.
  CHECK(full_bytes < 1000 * 12);
  for (uint64_t number = 1; number <= 1000; ++number) REQUIRE(map.erase((number << 4) | 7));
  CHECK(map.size() == 0);
  CHECK(map.memory_bytes() < full_bytes / 4);
  CHECK(map.memory_bytes() >= empty_bytes);
  size_t visited = 0;
  map.for_each([&](HeadSeries*) { ++visited; });
  CHECK(visited == 0);
  for (size_t i = 0; i < map.slot_count(); ++i) REQUIRE(map.at_slot(i) == nullptr);
}

TEST_CASE("SeriesRefMap moved keeps its series, and the moved-from is empty", "[store][refmap]") {
  SeriesRefMap map(4);
  for (uint64_t number = 1; number <= 300; ++number) map.insert(number << 4, fake_series(number));
  SeriesRefMap moved(std::move(map));
  CHECK(moved.size() == 300);
  CHECK(moved.find(uint64_t{150} << 4) == fake_series(150));
  SeriesRefMap assigned;
  assigned.insert(uint64_t{1} << 4, fake_series(1));
  assigned = std::move(moved);
  CHECK(assigned.size() == 300);
  CHECK(assigned.find(uint64_t{300} << 4) == fake_series(300));
  CHECK(assigned.find(uint64_t{301} << 4) == nullptr);
}
