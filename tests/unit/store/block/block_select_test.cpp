#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/support/temp_dir.hpp"
#include "tests/unit/store/block/block_test_series.hpp"

using namespace mc::block;
using namespace mc::block::test;
using mc::Labels;
using mc::Matcher;
using Kind = mc::Matcher::Kind;

namespace {

struct SelectFixture {
  mc::test::TempDir temp;
  std::vector<TestSeries> series;
  std::shared_ptr<BlockReader> reader;

  SelectFixture() {
    const std::vector<Labels> all = {
        Labels{{"__name__", "up"}, {"job", "api"}, {"instance", "a:1"}},
        Labels{{"__name__", "up"}, {"job", "api"}, {"instance", "b:1"}},
        Labels{{"__name__", "up"}, {"job", "db"}, {"instance", "c:1"}},
        Labels{{"__name__", "requests"}, {"job", "api"}, {"code", "200"}},
        Labels{{"__name__", "requests"}, {"job", "api"}, {"code", "500"}},
        Labels{{"__name__", "build_info"}},
    };
    for (const Labels& labels : all) {
      series.push_back(TestSeries{labels, nullptr, {1, 2}, {{1.0, 2.0}}});
    }
    reader = open_block(write_block(temp.path(), raw_meta(0, 10), series));
  }

  // Names of the selected series as "metric/job/instance/code", in order.
  std::vector<std::string> select(std::vector<Matcher> matchers) const {
    auto numbers = reader->select(matchers);
    REQUIRE(numbers.is_ok());
    std::vector<std::string> out;
    for (const uint32_t s : *numbers) out.push_back(reader->labels(s).to_string());
    // The matching must agree with a scan of every series.
    std::vector<std::string> scanned;
    for (uint32_t s = 0; s < reader->num_series(); ++s) {
      bool all = true;
      for (const Matcher& m : matchers) all = all && m.matches(reader->labels(s).get(m.name()));
      if (all) scanned.push_back(reader->labels(s).to_string());
    }
    REQUIRE(out == scanned);
    return out;
  }
};

Matcher make(Kind kind, std::string name, std::string value) {
  auto matcher = Matcher::make(kind, std::move(name), std::move(value));
  REQUIRE(matcher.is_ok());
  return *matcher;
}

}  // namespace

TEST_CASE("select() follows PromQL matcher semantics", "[store][block][select]") {
  SelectFixture f;
  REQUIRE(f.select({make(Kind::equal, "job", "api")}).size() == 4);
  REQUIRE(f.select({make(Kind::equal, "__name__", "up"), make(Kind::equal, "job", "api")}) ==
          std::vector<std::string>{R"(up{instance="a:1", job="api"})",
                                   R"(up{instance="b:1", job="api"})"});
  REQUIRE(f.select({make(Kind::not_equal, "job", "api")}).size() == 2);  // db + no job
  REQUIRE(f.select({make(Kind::regex, "instance", "[ab]:.*")}).size() == 2);
  REQUIRE(f.select({make(Kind::regex, "instance", "a")}).empty());  // anchored
  REQUIRE(f.select({make(Kind::not_regex, "code", "5..")}).size() == 5);
  // A missing label is "": these match series without `code`.
  REQUIRE(f.select({make(Kind::equal, "code", "")}).size() == 4);
  REQUIRE(f.select({make(Kind::regex, "code", "|200")}).size() == 5);
  REQUIRE(f.select({make(Kind::not_equal, "code", "")}).size() == 2);
  REQUIRE(f.select({make(Kind::equal, "nope", "")}).size() == 6);
  REQUIRE(f.select({make(Kind::equal, "nope", "x")}).empty());
  REQUIRE(f.select({make(Kind::equal, "job", "web")}).empty());
  REQUIRE(f.select({make(Kind::equal, "job", "api"), make(Kind::equal, "job", "db")}).empty());
  REQUIRE(f.select({}).size() == 6);
}

TEST_CASE("label names and values come from the index", "[store][block][select]") {
  SelectFixture f;
  REQUIRE(f.reader->label_names() ==
          std::vector<std::string>{"__name__", "code", "instance", "job"});
  REQUIRE(f.reader->label_values("__name__") ==
          std::vector<std::string>{"build_info", "requests", "up"});
  REQUIRE(f.reader->label_values("code") == std::vector<std::string>{"200", "500"});
  REQUIRE(f.reader->label_values("nope").empty());
}

TEST_CASE("an index of many series, past one page of the writer's records, selects exactly",
          "[store][block][select]") {
  // 30,000 series of a few labels each are over a megabyte of the index
  // writer's records (pages of 256 KiB); a string that is a value here and a
  // name there is one symbol. Every series must come back with its labels,
  // and each (name, value) list must hold exactly its series.
  mc::test::TempDir temp;
  std::vector<TestSeries> series;
  constexpr int kSeries = 30'000;
  for (int i = 0; i < kSeries; ++i) {
    TestSeries s;
    s.labels = Labels{{"__name__", "metric_" + std::to_string(i / 10'000)},
                      {"instance", "host-" + std::to_string(i % 997)},
                      {"job", i % 3 == 0 ? "instance" : "job"},
                      {"series", std::to_string(1'000'000 + i)}};
    s.timestamps = {1000 + i % 50, 2000 + i % 50};
    s.columns.push_back({static_cast<double>(i), 1.0});
    series.push_back(std::move(s));
  }
  std::sort(series.begin(), series.end(),
            [](const TestSeries& a, const TestSeries& b) { return a.labels < b.labels; });
  const std::string dir = write_block(temp.path(), raw_meta(1000, 3000), series, {});
  const auto reader = open_block(dir);
  REQUIRE(reader->num_series() == kSeries);
  for (uint32_t s = 0; s < kSeries; s += 7) REQUIRE(reader->labels(s) == series[s].labels);
  const auto count = [&](std::vector<Matcher> matchers) {
    auto numbers = reader->select(matchers);
    REQUIRE(numbers.is_ok());
    return numbers->size();
  };
  CHECK(count({make(Kind::equal, "job", "instance")}) == kSeries / 3);
  CHECK(count({make(Kind::equal, "instance", "host-5")}) == 31);  // 5 + 997k below 30,000
  CHECK(count({make(Kind::equal, "__name__", "metric_2")}) == 10'000);
  CHECK(count({make(Kind::equal, "series", "1029999")}) == 1);
  CHECK(count({make(Kind::regex, "series", "10000..")}) == 100);
  REQUIRE(reader->verify().is_ok());
}
