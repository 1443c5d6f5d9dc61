#include "collector/scrape/scrape_cache.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace mc {
namespace {

TEMPLATE_TEST_CASE("ScrapeCache finds what it holds, by its exact bytes", "[scrape_cache]",
                   WholeKeys, PrefixCodedKeys) {
  using Cache = ScrapeCache<int, TestType>;
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

TEMPLATE_TEST_CASE("ScrapeCache expects last round's order but copes with any order",
                   "[scrape_cache]", WholeKeys, PrefixCodedKeys) {
  using Cache = ScrapeCache<int, TestType>;
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

TEMPLATE_TEST_CASE("ScrapeCache expects what followed each key last round", "[scrape_cache]",
                   WholeKeys, PrefixCodedKeys) {
  using Cache = ScrapeCache<int, TestType>;
  Cache cache;
  const std::vector<std::string> keys = {"up", "a", "b", "c", "d"};
  cache.begin_round();
  CHECK(cache.expected() == Cache::kNotFound);
  std::vector<uint32_t> indices;
  for (size_t i = 0; i < keys.size(); ++i) indices.push_back(cache.insert(keys[i], int(i)));
  cache.begin_round();
  for (size_t i = 0; i < keys.size(); ++i) {
    REQUIRE(cache.expected() == indices[i]);
    CHECK(cache.accept_expected() == indices[i]);
  }
  CHECK(cache.expected() == Cache::kNotFound);  // the round's last
  // A round that looks nothing up (a failed scrape) keeps the order.
  cache.begin_round();
  cache.begin_round();
  CHECK(cache.expected() == indices[0]);
  CHECK(cache.find("up") == indices[0]);
  // A new key in the middle: what was expected still is.
  CHECK(cache.find("new") == Cache::kNotFound);
  const uint32_t added = cache.insert("new", 9);
  CHECK(cache.expected() == indices[1]);
  // A jump (found by hash): expect what followed the key found.
  CHECK(cache.find("c") == indices[3]);
  CHECK(cache.expected() == indices[4]);
  CHECK(cache.find("d") == indices[4]);
  // The next round follows this round's order, the new key included.
  cache.begin_round();
  CHECK(cache.find("up") == indices[0]);
  CHECK(cache.expected() == added);
  CHECK(cache.find("new") == added);
  CHECK(cache.expected() == indices[3]);
  // An erased entry is never expected.
  cache.erase(indices[3]);
  CHECK(cache.expected() == Cache::kNotFound);
}

TEMPLATE_TEST_CASE("ScrapeCache reuses erased indices and never matches an erased key",
                   "[scrape_cache]", WholeKeys, PrefixCodedKeys) {
  using Cache = ScrapeCache<int, TestType>;
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

TEMPLATE_TEST_CASE("ScrapeCache agrees with std::unordered_map under random churn",
                   "[scrape_cache]", WholeKeys, PrefixCodedKeys) {
  using Cache = ScrapeCache<int, TestType>;
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
  // Per series: the key and its one-byte size, an entry (2 uint32 and the
  // value) and an index slot of 8 bytes at most three quarters full.
  const double needed = kSeries * (kKeyBytes + 1.0 + 8.0 + 8.0 + 8.0 / 0.75);
  CHECK(static_cast<double>(cache.memory_bytes()) < needed * 1.25);
  CHECK(static_cast<double>(cache.memory_bytes()) >= needed * 0.9);
}

}  // namespace
}  // namespace mc

namespace scrape_cache_test {

// A page's series in its order: neighbours share most of their text.
std::string page_key(size_t i) {
  return "node_cpu_seconds_total{cpu=\"" + std::to_string(i / 8) + "\",mode=\"" +
         std::to_string(i % 8) + "\"}";
}

}  // namespace scrape_cache_test

namespace mc {
namespace {

using scrape_cache_test::page_key;

TEST_CASE("PrefixCodedKeys reads back every key, in order, out of order and around restarts",
          "[scrape_cache]") {
  PrefixCodedKeys keys;
  std::vector<std::string> appended;
  std::vector<uint32_t> offsets;
  // Keys that share nothing, all of themselves, or more than 127 bytes (a
  // two-byte varint), beside the page's.
  const std::string long_prefix(200, 'p');
  for (size_t i = 0; i < 100; ++i) {
    std::string key = page_key(i);
    if (i % 10 == 3) key = long_prefix + std::to_string(i);
    if (i % 10 == 4) key = long_prefix + std::to_string(i) + "x";
    if (i % 10 == 5) key = appended.back().substr(0, 5);  // a prefix of the one before
    if (i % 10 == 6) key = "";
    appended.push_back(key);
    offsets.push_back(keys.append(key));
  }
  for (size_t i = 0; i < appended.size(); ++i) {
    REQUIRE(keys.get(offsets[i]) == appended[i]);
  }
  std::mt19937 random(11);
  for (int n = 0; n < 1000; ++n) {
    const size_t i = random() % appended.size();
    REQUIRE(keys.get(offsets[i]) == appended[i]);
    REQUIRE(keys.equals(offsets[i], appended[i]));
    const size_t other = (i + 1) % appended.size();
    if (appended[other] != appended[i]) {
      REQUIRE_FALSE(keys.equals(offsets[i], appended[other]));
    }
    std::string changed = appended[i] + "!";
    REQUIRE_FALSE(keys.equals(offsets[i], changed));
  }
}

TEST_CASE("PrefixCodedKeys holds a page's keys in a fraction of their bytes", "[scrape_cache]") {
  WholeKeys whole;
  PrefixCodedKeys coded;
  for (size_t i = 0; i < 10'000; ++i) {
    whole.append(page_key(i));
    coded.append(page_key(i));
  }
  // Each key differs from the one before in a few bytes at its end; every
  // 16th is whole.
  CHECK(coded.bytes() * 3 < whole.bytes());
}

TEST_CASE("ScrapeCache with PrefixCodedKeys rewrites its keys after churn and still finds them",
          "[scrape_cache]") {
  ScrapeCache<uint64_t, PrefixCodedKeys> cache;
  constexpr size_t kSeries = 2000;
  for (int round = 0; round < 6; ++round) {
    cache.begin_round();
    // Each round drops the oldest fifth of the series and adds a new fifth,
    // which the rewrite of the key bytes must keep readable.
    const size_t first = static_cast<size_t>(round) * kSeries / 5;
    for (size_t i = first; i < first + kSeries; ++i) {
      const std::string key = page_key(i);
      const uint32_t found = cache.find(key);
      if (found == ScrapeCache<uint64_t, PrefixCodedKeys>::kNotFound) {
        cache.insert(key, i);
      } else {
        REQUIRE(cache.value(found) == i);
        REQUIRE(cache.key(found) == key);
      }
    }
    for (uint32_t index = 0; index < cache.index_end(); ++index) {
      if (cache.live(index) && cache.value(index) < first + kSeries / 5) cache.erase(index);
    }
  }
  CHECK(cache.size() == kSeries - kSeries / 5);
  for (uint32_t index = 0; index < cache.index_end(); ++index) {
    if (cache.live(index)) CHECK(cache.key(index) == page_key(cache.value(index)));
  }
}

}  // namespace
}  // namespace mc
