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
