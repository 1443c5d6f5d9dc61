// merge_queriers over the head and a raw block: series in both become one,
// samples merged with the head's winning a shared timestamp, and the series'
// metadata taken from the first source that has any (the head's).
#include "common/store/merge_querier.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "common/store/block/block_querier.hpp"
#include "common/store/head_storage.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/store/block/block_test_series.hpp"

namespace mc {
namespace {

using block::test::TestSeries;

const Labels kBoth{{"__name__", "requests_total"}, {"job", "both"}};
const Labels kBlockOnly{{"__name__", "requests_total"}, {"job", "block"}};
const Labels kHeadOnly{{"__name__", "requests_total"}, {"job", "head"}};

struct MergeFixture {
  test::TempDir temp;
  MetricMetadata in_block{"requests_total", MetricType::counter, "Old help.", ""};
  MetricMetadata in_head{"requests_total", MetricType::counter, "New help.", ""};
  std::shared_ptr<block::BlockReader> reader;
  HeadStorage head;

  MergeFixture() {
    std::vector<TestSeries> series = {
        TestSeries{kBoth, &in_block, {1000, 2000}, {{1, 2}}},
        TestSeries{kBlockOnly, &in_block, {1000}, {{5}}},
    };
    reader = block::test::open_block(
        block::test::write_block(temp.path(), block::test::raw_meta(0, 9999), series));
    auto appender = head.appender();
    const SeriesRef both = appender->append(0, kBoth, 2000, 20).ref;
    appender->append(both, {}, 3000, 30);
    appender->update_metadata(both, in_head);
    appender->append(0, kHeadOnly, 3000, 7);  // no metadata
    REQUIRE(appender->commit());
  }

  std::unique_ptr<Querier> merged() {
    std::vector<std::unique_ptr<Querier>> queriers;
    queriers.push_back(head.querier(0, 9999));
    queriers.push_back(block::block_querier(reader, 0, 9999));
    return merge_queriers(std::move(queriers));
  }
};

}  // namespace

TEST_CASE("merged series keep the first source's sample and metadata", "[store][merge_querier]") {
  MergeFixture f;
  auto querier = f.merged();
  auto all = Matcher::make(Matcher::Kind::regex, "__name__", ".+");
  REQUIRE(all);
  std::map<std::string, std::unique_ptr<Series>> by_job;
  for (auto& series : querier->select({*all})) {
    by_job[std::string(series->labels().get("job"))] = std::move(series);
  }
  REQUIRE(by_job.size() == 3);

  const Series& both = *by_job["both"];
  std::vector<Sample> samples;
  auto it = both.iterator();
  while (it->next()) samples.push_back(it->at());
  REQUIRE(it->status());
  CHECK(samples == std::vector<Sample>{{1000, 1}, {2000, 20}, {3000, 30}});
  REQUIRE(both.metadata() != nullptr);
  CHECK(*both.metadata() == f.in_head);

  REQUIRE(by_job["block"]->metadata() != nullptr);
  CHECK(*by_job["block"]->metadata() == f.in_block);
  CHECK(by_job["head"]->metadata() == nullptr);
}

TEST_CASE("a merged series falls back to a later source's metadata", "[store][merge_querier]") {
  test::TempDir temp;
  const MetricMetadata in_block{"up", MetricType::gauge, "Up.", ""};
  const Labels up{{"__name__", "up"}, {"job", "a"}};
  std::vector<TestSeries> series = {TestSeries{up, &in_block, {1000}, {{1}}}};
  auto reader = block::test::open_block(
      block::test::write_block(temp.path(), block::test::raw_meta(0, 9999), series));
  HeadStorage head;
  {
    auto appender = head.appender();
    appender->append(0, up, 2000, 1);  // the head never got metadata for it
    REQUIRE(appender->commit());
  }
  std::vector<std::unique_ptr<Querier>> queriers;
  queriers.push_back(head.querier(0, 9999));
  queriers.push_back(block::block_querier(reader, 0, 9999));
  auto all = Matcher::make(Matcher::Kind::regex, "__name__", ".+");
  REQUIRE(all);
  auto selected = merge_queriers(std::move(queriers))->select({*all});
  REQUIRE(selected.size() == 1);
  REQUIRE(selected[0]->metadata() != nullptr);
  CHECK(*selected[0]->metadata() == in_block);
}

}  // namespace mc

namespace mc {

// Many sources, overlapping or not, read by next() and by seek(): the merge
// must equal the union of the sources where the lowest source wins a shared
// timestamp (the heap of sources' fronts must not lose or repeat a sample).
TEST_CASE("a merge over many sources equals the union, by next and by seek",
          "[store][merge_querier]") {
  const Labels series{{"__name__", "x"}};
  constexpr size_t kSources = 12;
  std::vector<std::unique_ptr<HeadStorage>> heads;
  std::map<int64_t, double> expected;  // lowest source first wins
  uint64_t state = 42;
  const auto random = [&state](uint64_t below) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % below;
  };
  for (size_t source = 0; source < kSources; ++source) {
    heads.push_back(std::make_unique<HeadStorage>());
    auto appender = heads.back()->appender();
    SeriesRef ref = 0;
    // Sources 0..5 overlap everywhere; the others hold disjoint blocks of time, as blocks do.
    int64_t t = source < 6 ? static_cast<int64_t>(random(5)) : static_cast<int64_t>(source) * 1000;
    const int64_t end = source < 6 ? 12'000 : t + 1000;
    for (; t < end; t += 1 + static_cast<int64_t>(random(source < 6 ? 40 : 3))) {
      const double value = static_cast<double>(source * 100000 + static_cast<size_t>(t));
      ref = appender->append(ref, series, t, value).ref;
      expected.emplace(t, value);  // keeps the first (lowest) source's
    }
    REQUIRE(appender->commit());
  }
  auto open = [&] {
    std::vector<std::unique_ptr<Querier>> queriers;
    for (auto& head : heads) queriers.push_back(head->querier(0, 20'000));
    auto querier = merge_queriers(std::move(queriers));
    auto name = Matcher::make(Matcher::Kind::equal, "__name__", "x");
    auto selected = querier->select({*name});
    REQUIRE(selected.size() == 1);
    return selected.front()->iterator();
  };

  SECTION("next") {
    auto it = open();
    std::vector<std::pair<int64_t, double>> got;
    while (it->next()) got.emplace_back(it->at().t_ms, it->at().v);
    CHECK(got == std::vector<std::pair<int64_t, double>>(expected.begin(), expected.end()));
  }
  SECTION("seek, then read_until windows") {
    // As a range window reads: seek to the window's start, then everything
    // up to its end in one call; the iterator then stands after the end.
    auto it = open();
    int64_t start = 0;
    while (start < 13'000) {
      const int64_t end = start + static_cast<int64_t>(random(900));
      const auto want = expected.lower_bound(start);
      REQUIRE(it->seek(start) == (want != expected.end()));
      if (want == expected.end()) break;
      std::vector<Sample> got;
      const bool more = it->read_until(end, got);
      std::vector<Sample> wanted;
      auto after = want;
      for (; after != expected.end() && after->first <= end; ++after) {
        wanted.push_back(Sample{after->first, after->second});
      }
      CHECK(got == wanted);
      REQUIRE(more == (after != expected.end()));
      if (!more) break;
      CHECK(it->at().t_ms == after->first);
      start = end + 1 + static_cast<int64_t>(random(300));
    }
  }
  SECTION("seek, then next") {
    auto it = open();
    for (int64_t target = 0; target < 13'000; target += 1 + static_cast<int64_t>(random(700))) {
      const auto want = expected.lower_bound(target);
      REQUIRE(it->seek(target) == (want != expected.end()));
      if (want == expected.end()) break;
      CHECK(it->at().t_ms == want->first);
      CHECK(it->at().v == want->second);
      const auto after = std::next(want);
      REQUIRE(it->next() == (after != expected.end()));
      if (after == expected.end()) break;
      CHECK(it->at().t_ms == after->first);
      CHECK(it->at().v == after->second);
    }
  }
}

}  // namespace mc

namespace mc {

// read_until over raw blocks (their iterators read a window from their
// arrays): adjacent blocks and one overlapping them, in windows of every
// size, equal the samples next() gives.
TEST_CASE("read_until over blocks equals next", "[store][merge_querier]") {
  test::TempDir temp;
  const Labels name{{"__name__", "x"}};
  std::vector<std::shared_ptr<block::BlockReader>> blocks;
  for (int64_t b = 0; b < 4; ++b) {
    std::vector<int64_t> timestamps;
    std::vector<double> values;
    // Block 3 overlaps blocks 0 and 1 at other times and at shared ones.
    const int64_t first = b < 3 ? b * 1000 : 500;
    const int64_t step = b < 3 ? 10 : 25;
    for (int64_t t = first; t < first + 1000; t += step) {
      timestamps.push_back(t);
      values.push_back(static_cast<double>(b * 100000 + t));
    }
    std::vector<TestSeries> series = {TestSeries{name, nullptr, timestamps, {values}}};
    const auto dir = temp.path() / std::to_string(b);
    std::filesystem::create_directories(dir);
    blocks.push_back(block::test::open_block(
        block::test::write_block(dir, block::test::raw_meta(first, first + 999), series)));
  }
  auto open = [&] {
    std::vector<std::unique_ptr<Querier>> queriers;
    for (auto& reader : blocks) queriers.push_back(block::block_querier(reader, 0, 9999));
    auto matcher = Matcher::make(Matcher::Kind::equal, "__name__", "x");
    auto selected = merge_queriers(std::move(queriers))->select({*matcher});
    REQUIRE(selected.size() == 1);
    return selected.front()->iterator();
  };
  std::vector<Sample> all;
  {
    auto it = open();
    while (it->next()) all.push_back(it->at());
  }
  REQUIRE(all.size() > 300);
  for (const int64_t window : {1, 7, 10, 99, 250, 1000, 5000}) {
    CAPTURE(window);
    auto it = open();
    std::vector<Sample> got;
    bool more = it->next();
    for (int64_t end = window - 1; more; end += window) more = it->read_until(end, got);
    CHECK(got == all);
  }
}

}  // namespace mc
