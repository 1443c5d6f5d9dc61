#include "common/store/block/block_querier.hpp"

#include <catch2/catch.hpp>

#include <map>

#include "common/model/sample_value.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/store/block/block_test_series.hpp"

using namespace mc::block;
using namespace mc::block::test;
using mc::Labels;
using mc::Matcher;

namespace {

Matcher equal(std::string name, std::string value) {
  auto matcher = Matcher::make(Matcher::Kind::equal, std::move(name), std::move(value));
  REQUIRE(matcher.is_ok());
  return *matcher;
}

struct QuerierFixture {
  mc::test::TempDir temp;
  std::vector<TestSeries> series;
  mc::MetricMetadata metadata{"up", mc::MetricType::gauge, "Up.", ""};
  std::shared_ptr<BlockReader> reader;

  QuerierFixture() {
    // a: samples at 0..90 s; b: 50..140 s (ends stale); c: only at 200 s.
    TestSeries a{Labels{{"__name__", "up"}, {"job", "a"}}, &metadata, {}, {{}}};
    TestSeries b{Labels{{"__name__", "up"}, {"job", "b"}}, nullptr, {}, {{}}};
    for (int64_t t = 0; t < 10; ++t) {
      a.timestamps.push_back(t * 10000);
      a.columns[0].push_back(static_cast<double>(t));
      b.timestamps.push_back(50000 + t * 10000);
      b.columns[0].push_back(static_cast<double>(100 + t));
    }
    b.columns[0].back() = mc::stale_nan();
    TestSeries c{Labels{{"__name__", "other"}, {"job", "c"}}, nullptr, {200000}, {{7.0}}};
    series = {a, b, c};
    reader = open_block(write_block(temp.path(), raw_meta(0, 200000), series));
  }
};

std::vector<mc::Sample> samples_of(const mc::Series& series) {
  std::vector<mc::Sample> out;
  auto it = series.iterator();
  while (it->next()) out.push_back(it->at());
  REQUIRE(it->status().is_ok());
  return out;
}

}  // namespace

TEST_CASE("the block querier selects series with samples in its range", "[store][block]") {
  QuerierFixture f;
  auto querier = block_querier(f.reader, 60000, 100000);
  const auto selected = querier->select({equal("__name__", "up")});
  REQUIRE(selected.size() == 2);
  REQUIRE(selected[0]->labels().get("job") == "a");
  const auto a = samples_of(*selected[0]);
  REQUIRE(a == std::vector<mc::Sample>{{60000, 6}, {70000, 7}, {80000, 8}, {90000, 9}});
  const auto b = samples_of(*selected[1]);
  REQUIRE(b.size() == 5);
  REQUIRE(b.front() == mc::Sample{60000, 101});

  REQUIRE(querier->select({equal("job", "c")}).empty());  // outside the range
  REQUIRE(block_querier(f.reader, 0, 300000)->select({equal("job", "c")}).size() == 1);
  REQUIRE(querier->label_values("job") == std::vector<std::string>{"a", "b"});
  REQUIRE(querier->label_names() == std::vector<std::string>{"__name__", "job"});
  REQUIRE(block_querier(f.reader, 0, 200000)->label_values("job") ==
          std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("block iterators seek and outlive their querier", "[store][block]") {
  QuerierFixture f;
  std::unique_ptr<mc::SampleIterator> it;
  {
    auto querier = block_querier(f.reader, 0, 1000000);
    auto selected = querier->select({equal("job", "b")});
    REQUIRE(selected.size() == 1);
    it = selected[0]->iterator();
  }
  REQUIRE(it->seek(75000));
  REQUIRE(it->at().t_ms == 80000);
  REQUIRE(it->seek(10000));  // never backwards
  REQUIRE(it->at().t_ms == 80000);
  REQUIRE(it->next());
  REQUIRE(it->at().t_ms == 90000);
  REQUIRE(it->seek(140000));
  REQUIRE(mc::is_stale_nan(it->at().v));
  REQUIRE_FALSE(it->next());
  REQUIRE_FALSE(it->seek(999999));
  REQUIRE(it->status().is_ok());
}

// A series selected for its time span may have no sample inside the range:
// its first seek must find nothing (it once searched from before the start of
// an empty vector and crashed the daemon on an instant query).
TEST_CASE("a first seek on a series without samples in range finds nothing", "[store][block]") {
  QuerierFixture f;
  auto querier = block_querier(f.reader, 91000, 99000);  // between b's samples at 90 s and 100 s
  auto selected = querier->select({equal("job", "b")});
  for (const auto& series : selected) {
    auto it = series->iterator();
    CHECK_FALSE(it->seek(95000));
    CHECK_FALSE(it->next());
    CHECK(it->status().is_ok());
  }
}

TEST_CASE("a block querier's series carry the metadata the block stored", "[store][block]") {
  QuerierFixture f;
  std::map<std::string, const mc::MetricMetadata*> metadata;
  const auto selected = block_querier(f.reader, 0, 300000)->select({equal("__name__", "up")});
  for (const auto& series : selected) {
    metadata[std::string(series->labels().get("job"))] = series->metadata();
  }
  REQUIRE(metadata.size() == 2);
  REQUIRE(metadata["a"] != nullptr);
  CHECK(*metadata["a"] == f.metadata);
  CHECK(metadata["b"] == nullptr);
}

TEST_CASE("a block reader builds labels and finds label values from its symbol table",
          "[store][block]") {
  QuerierFixture f;
  // write_block sorted f.series as the block is: c ("other") first, then a and b.
  REQUIRE(f.reader->num_series() == 3);
  for (uint32_t s = 0; s < 3; ++s) {
    CHECK(f.reader->labels(s) == f.series[s].labels);
    CHECK(f.reader->labels(s).hash() == f.series[s].labels.hash());
  }
  CHECK(f.reader->label_value(0, "job") == "c");
  CHECK(f.reader->label_value(1, "__name__") == "up");
  CHECK(f.reader->label_value(2, "job") == "b");
  CHECK(f.reader->label_value(2, "instance").empty());
  CHECK(f.reader->label_value(2, "").empty());
}

TEST_CASE("a block querier over part of its block lists the names and values of that part",
          "[store][block]") {
  QuerierFixture f;
  // 150..250 s holds only c; b ends at 140 s.
  auto querier = block_querier(f.reader, 150000, 250000);
  CHECK(querier->label_values("job") == std::vector<std::string>{"c"});
  CHECK(querier->label_values("instance").empty());
  CHECK(querier->label_names() == std::vector<std::string>{"__name__", "job"});
  CHECK(block_querier(f.reader, 0, 1000)->label_values("job") == std::vector<std::string>{"a"});
}

// One target's series share a timestamp column (stored once); a query reads
// them in turn and the querier decodes the column once for them
// (DecodedTimestamps). Every series must still read as its own samples, in
// any order, over ranges that cut the chunks' ends, beside a series with as
// many samples at other times.
TEST_CASE("series sharing a timestamp column read their own samples in any order",
          "[store][block]") {
  mc::test::TempDir temp;
  TestSeries a{Labels{{"__name__", "x"}, {"series", "a"}}, nullptr, {}, {{}}};
  TestSeries b{Labels{{"__name__", "x"}, {"series", "b"}}, nullptr, {}, {{}}};
  TestSeries c{Labels{{"__name__", "x"}, {"series", "c"}}, nullptr, {}, {{}}};
  for (int64_t i = 0; i < 500; ++i) {
    a.timestamps.push_back(i * 15000 + i % 7);
    a.columns[0].push_back(static_cast<double>(i));
    c.timestamps.push_back(i * 15000 + 3 + i % 5);
    c.columns[0].push_back(static_cast<double>(-i));
  }
  b.timestamps = a.timestamps;
  for (int64_t i = 0; i < 500; ++i) b.columns[0].push_back(0.5 * static_cast<double>(i));
  std::vector<TestSeries> written = {a, b, c};  // sorted by write_block: a, b, c
  auto reader = open_block(write_block(temp.path(), raw_meta(0, 500 * 15000), written));
  for (const auto& [mint, maxt] : std::vector<std::pair<int64_t, int64_t>>{
           {0, 500 * 15000}, {7000, 3'000'001}, {150'000, 150'006}, {6'000'000, 9'000'000}}) {
    CAPTURE(mint, maxt);
    auto querier = block_querier(reader, mint, maxt);
    const auto selected = querier->select({equal("__name__", "x")});
    REQUIRE(selected.size() == 3);  // a, b, c in label order
    for (const size_t s : {0, 1, 2, 0, 2, 1, 1}) {
      CAPTURE(s);
      std::vector<mc::Sample> expected;
      for (size_t i = 0; i < written[s].timestamps.size(); ++i) {
        const int64_t t = written[s].timestamps[i];
        if (t >= mint && t <= maxt) expected.push_back(mc::Sample{t, written[s].columns[0][i]});
      }
      CHECK(samples_of(*selected[s]) == expected);
    }
  }
}
