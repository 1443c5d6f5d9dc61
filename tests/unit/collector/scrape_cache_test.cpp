#include "collector/scrape/scrape_cache.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace mc {
namespace {

using Cache = ScrapeCache<int>;

TEST_CASE("ScrapeCache finds what it holds, by its exact bytes", "[scrape_cache]") {
  Cache cache;
  cache.begin_round();
  CHECK(cache.find("a{x=\"1\"}") == Cache::kNotFound);
  const uint32_t a = cache.insert("a{x=\"1\"}", 1);
  const uint32_t b = cache.insert("b", 2);
  CHECK(cache.size() == 2);
  CHECK(cache.find("a{x=\"1\"}") == a);
  CHECK(cache.find("b") == b);
  CHECK(cache.find("a") == Cache::kNotFound);
  CHECK(cache.find("a{x=\"1\"} ") == Cache::kNotFound);
  CHECK(cache.find("") == Cache::kNotFound);
  CHECK(cache.value(a) == 1);
  CHECK(cache.key(b) == "b");
}

TEST_CASE("ScrapeCache expects last round's order but copes with any order", "[scrape_cache]") {
  Cache cache;
  const std::vector<std::string> keys = {"up", "a", "b", "c", "d"};
  cache.begin_round();
  std::vector<uint32_t> indices;
  for (size_t i = 0; i < keys.size(); ++i) indices.push_back(cache.insert(keys[i], int(i)));

  SECTION("same order") {
    cache.begin_round();
    for (size_t i = 0; i < keys.size(); ++i) CHECK(cache.find(keys[i]) == indices[i]);
  }
  SECTION("reversed, twice") {
    for (int round = 0; round < 2; ++round) {
      cache.begin_round();
      for (size_t i = keys.size(); i-- > 0;) CHECK(cache.find(keys[i]) == indices[i]);
    }
  }
  SECTION("one missing, one new in the middle, one asked for twice") {
    cache.begin_round();
    CHECK(cache.find("up") == indices[0]);
    CHECK(cache.find("b") == indices[2]);
    CHECK(cache.find("new") == Cache::kNotFound);
    const uint32_t added = cache.insert("new", 9);
    CHECK(cache.find("c") == indices[3]);
    CHECK(cache.find("c") == indices[3]);
    CHECK(cache.find("d") == indices[4]);
    cache.begin_round();
    CHECK(cache.find("a") == indices[1]);
    CHECK(cache.find("up") == indices[0]);
    CHECK(cache.find("new") == added);
    CHECK(cache.value(added) == 9);
  }
}

TEST_CASE("ScrapeCache reuses erased indices and never matches an erased key", "[scrape_cache]") {
  Cache cache;
  cache.begin_round();
  const uint32_t a = cache.insert("a", 1);
  cache.insert("b", 2);
  cache.begin_round();
  cache.erase(a);
  CHECK_FALSE(cache.live(a));
  CHECK(cache.size() == 1);
  // "a" was expected first in this round's order; it must not be found.
  CHECK(cache.find("a") == Cache::kNotFound);
  const uint32_t c = cache.insert("c", 3);
  CHECK(c == a);
  CHECK(cache.find("c") == c);
  CHECK(cache.find("a") == Cache::kNotFound);
  CHECK(cache.find("b") != Cache::kNotFound);
}

TEST_CASE("ScrapeCache agrees with std::unordered_map under random churn", "[scrape_cache]") {
  std::mt19937 random(7);
  Cache cache;
  std::unordered_map<std::string, std::pair<uint32_t, int>> reference;
  // Long keys so that erased ones soon trigger a rewrite of the key buffer.
  auto key_of = [](int n) { return "series_with_a_long_name{n=\"" + std::to_string(n) + "\"}"; };
  for (int round = 0; round < 300; ++round) {
    cache.begin_round();
    for (int step = 0; step < 200; ++step) {
      const int n = static_cast<int>(random() % 1000);
      const std::string key = key_of(n);
      const uint32_t found = cache.find(key);
      auto it = reference.find(key);
      if (it == reference.end()) {
        REQUIRE(found == Cache::kNotFound);
        reference.emplace(key, std::make_pair(cache.insert(key, n), n));
      } else {
        REQUIRE(found == it->second.first);
        REQUIRE(cache.value(found) == n);
        REQUIRE(cache.key(found) == key);
        if (random() % 3 == 0) {
          cache.erase(found);
          reference.erase(it);
        }
      }
    }
    REQUIRE(cache.size() == reference.size());
  }
  for (const auto& [key, entry] : reference) CHECK(cache.key(entry.first) == key);
}

TEST_CASE("ScrapeCache leaves little of its memory unused", "[scrape_cache]") {
  // A target's whole page lives in the cache: doubled arrays and a half-full
  // index left about 70% more than the cache needs; growth by an eighth and
  // a three-quarters index leave at most about 20%.
  ScrapeCache<uint64_t> cache;
  constexpr size_t kSeries = 10'000;
  constexpr size_t kKeyBytes = 60;
  auto key_of = [](size_t i) {
    std::string key = "node_cpu_seconds_total{cpu=\"" + std::to_string(i) + "\",mode=\"idle\"}";
    key.resize(kKeyBytes, 'x');
    return key;
  };
  for (int round = 0; round < 3; ++round) {
    cache.begin_round();
    for (size_t i = 0; i < kSeries; ++i) {
      const std::string key = key_of(i);
      if (cache.find(key) == ScrapeCache<uint64_t>::kNotFound) cache.insert(key, i);
    }
  }
  REQUIRE(cache.size() == kSeries);
  // Per series: the key, an entry (4 uint32 and the value), two order slots,
  // and an index slot of 8 bytes at most three quarters full.
  const double needed = kSeries * (kKeyBytes + 16.0 + 8.0 + 2 * 4.0 + 8.0 / 0.75);
  CHECK(static_cast<double>(cache.memory_bytes()) < needed * 1.25);
  CHECK(static_cast<double>(cache.memory_bytes()) >= needed * 0.9);
}

}  // namespace
}  // namespace mc
