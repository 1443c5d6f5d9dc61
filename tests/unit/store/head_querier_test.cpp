// HeadQuerier through HeadStorage: select with every matcher kind, time ranges,
// iterators and snapshots, label names and values.
#include "common/store/head_querier.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "common/store/head_storage.hpp"

using mc::HeadStorage;
using mc::Labels;
using mc::Matcher;
using mc::Sample;
using Kind = mc::Matcher::Kind;

namespace {

Matcher matcher(Kind kind, std::string name, std::string value) {
  auto made = Matcher::make(kind, std::move(name), std::move(value));
  REQUIRE(made.is_ok());
  return *made;
}

// Four series: up{job=api,instance=1|2}, up{job=web,instance=1}, requests{job=api}
// with samples at t = 1000, 2000, ..., 10000 (value = t / 1000).
void fill(HeadStorage& head) {
  const std::vector<Labels> all = {
      {{"__name__", "up"}, {"job", "api"}, {"instance", "1"}},
      {{"__name__", "up"}, {"job", "api"}, {"instance", "2"}},
      {{"__name__", "up"}, {"job", "web"}, {"instance", "1"}},
      {{"__name__", "requests"}, {"job", "api"}},
  };
  for (int64_t t = 1000; t <= 10'000; t += 1000) {
    auto appender = head.appender();
    for (const auto& labels : all) appender->append(0, labels, t, static_cast<double>(t / 1000));
    REQUIRE(appender->commit().is_ok());
  }
}

std::vector<std::string> selected(HeadStorage& head, const std::vector<Matcher>& matchers,
                                  int64_t mint = INT64_MIN, int64_t maxt = INT64_MAX) {
  std::vector<std::string> names;
  for (const auto& series : head.querier(mint, maxt)->select(matchers)) {
    names.push_back(series->labels().to_string());
  }
  return names;
}

std::vector<Sample> read(mc::SampleIterator& it) {
  std::vector<Sample> out;
  while (it.next()) out.push_back(it.at());
  REQUIRE(it.status().is_ok());
  return out;
}

}  // namespace

TEST_CASE("select with each matcher kind, sorted by labels", "[store][head][querier]") {
  HeadStorage head;
  fill(head);
  using V = std::vector<std::string>;
  REQUIRE(selected(head, {}) == V{R"(requests{job="api"})", R"(up{instance="1", job="api"})",
                                  R"(up{instance="1", job="web"})",
                                  R"(up{instance="2", job="api"})"});
  REQUIRE(selected(head,
                   {matcher(Kind::equal, "__name__", "up"), matcher(Kind::equal, "job", "api")}) ==
          V{R"(up{instance="1", job="api"})", R"(up{instance="2", job="api"})"});
  REQUIRE(selected(head, {matcher(Kind::not_equal, "job", "api")}) ==
          V{R"(up{instance="1", job="web"})"});
  REQUIRE(selected(head, {matcher(Kind::regex, "job", "w.*|nothing")}) ==
          V{R"(up{instance="1", job="web"})"});
  REQUIRE(selected(head, {matcher(Kind::regex, "job", "ap")}).empty());  // anchored
  REQUIRE(selected(head, {matcher(Kind::not_regex, "__name__", "u.")}) ==
          V{R"(requests{job="api"})"});
  // A missing label matches the empty string.
  REQUIRE(selected(head, {matcher(Kind::equal, "instance", "")}) == V{R"(requests{job="api"})"});
  REQUIRE(selected(head, {matcher(Kind::regex, "instance", "2|")}) ==
          V{R"(requests{job="api"})", R"(up{instance="2", job="api"})"});
}

TEST_CASE("select keeps series and samples inside the range only", "[store][head][querier]") {
  HeadStorage head;
  fill(head);
  auto appender = head.appender();
  appender->append(0, {{"__name__", "late"}}, 50'000, 1);
  REQUIRE(appender->commit().is_ok());

  REQUIRE(selected(head, {matcher(Kind::equal, "__name__", "late")}, 0, 10'000).empty());
  REQUIRE(selected(head, {}, 20'000, 60'000) == std::vector<std::string>{"late{}"});
  REQUIRE(selected(head, {}, 10'001, 49'999).empty());

  auto querier = head.querier(3000, 5000);
  auto series = querier->select({matcher(Kind::equal, "__name__", "requests")});
  REQUIRE(series.size() == 1);
  auto it = series[0]->iterator();
  const auto samples = read(*it);
  REQUIRE(samples.size() == 3);
  REQUIRE(samples.front().t_ms == 3000);
  REQUIRE(samples.back().t_ms == 5000);
}

TEST_CASE("iterator seek moves to the first sample at or after t", "[store][head][querier]") {
  HeadStorage head(mc::HeadOptions{.chunk_max_samples = 3});  // several chunks to skip over
  fill(head);
  auto series =
      head.querier(INT64_MIN, INT64_MAX)->select({matcher(Kind::equal, "__name__", "requests")});
  REQUIRE(series.size() == 1);
  auto it = series[0]->iterator();
  REQUIRE(it->seek(4500));
  REQUIRE(it->at().t_ms == 5000);
  REQUIRE(it->seek(5000));  // already there: stays
  REQUIRE(it->at().t_ms == 5000);
  REQUIRE(it->seek(2000));  // never goes back
  REQUIRE(it->at().t_ms == 5000);
  REQUIRE(it->next());
  REQUIRE(it->at().t_ms == 6000);
  REQUIRE(it->seek(9000));
  REQUIRE(it->at().v == 9);
  REQUIRE_FALSE(it->seek(10'001));
  REQUIRE_FALSE(it->next());
  REQUIRE(it->status().is_ok());
}

TEST_CASE("selected series are snapshots unaffected by later appends and truncation",
          "[store][head][querier]") {
  HeadStorage head(mc::HeadOptions{.chunk_max_samples = 4});
  fill(head);
  std::unique_ptr<mc::SampleIterator> it;
  {
    auto querier = head.querier(INT64_MIN, INT64_MAX);
    auto series = querier->select({matcher(Kind::equal, "__name__", "requests")});
    REQUIRE(series.size() == 1);
    it = series[0]->iterator();  // outlives its Series and Querier
  }
  auto appender = head.appender();
  appender->append(0, {{"__name__", "requests"}, {"job", "api"}}, 11'000, 11);
  REQUIRE(appender->commit().is_ok());
  head.truncate(9000);
  const auto samples = read(*it);
  REQUIRE(samples.size() == 10);
  REQUIRE(samples.back().t_ms == 10'000);
}

TEST_CASE("label names and values cover series with data in range", "[store][head][querier]") {
  HeadStorage head;
  fill(head);
  auto appender = head.appender();
  appender->append(0, {{"__name__", "late"}, {"zone", "eu"}}, 50'000, 1);
  REQUIRE(appender->commit().is_ok());

  using V = std::vector<std::string>;
  REQUIRE(head.querier(0, 10'000)->label_names() == V{"__name__", "instance", "job"});
  REQUIRE(head.querier(0, 60'000)->label_names() == V{"__name__", "instance", "job", "zone"});
  REQUIRE(head.querier(0, 10'000)->label_values("job") == V{"api", "web"});
  REQUIRE(head.querier(0, 10'000)->label_values("__name__") == V{"requests", "up"});
  REQUIRE(head.querier(40'000, 60'000)->label_values("__name__") == V{"late"});
  REQUIRE(head.querier(0, 10'000)->label_values("missing").empty());
}

TEST_CASE("selected series carry the metadata the head had when they were selected",
          "[store][head][querier]") {
  HeadStorage head;
  fill(head);
  const mc::MetricMetadata counter{"requests", mc::MetricType::counter, "Requests.", ""};
  const mc::MetricMetadata renamed{"requests", mc::MetricType::counter, "Requests served.", ""};
  const Labels requests{{"__name__", "requests"}, {"job", "api"}};
  auto set_metadata = [&](const mc::MetricMetadata& metadata, int64_t t) {
    auto appender = head.appender();
    const mc::SeriesRef ref = appender->append(0, requests, t, 1).ref;
    appender->update_metadata(ref, metadata);
    REQUIRE(appender->commit().is_ok());
  };
  set_metadata(counter, 11'000);

  auto before = head.querier(INT64_MIN, INT64_MAX)->select({});
  REQUIRE(before.size() == 4);
  for (const auto& series : before) {
    INFO(series->labels().to_string());
    if (series->labels() == requests) {
      REQUIRE(series->metadata() != nullptr);
      CHECK(*series->metadata() == counter);
    } else {
      CHECK(series->metadata() == nullptr);
    }
  }

  set_metadata(renamed, 12'000);
  const auto after =
      head.querier(INT64_MIN, INT64_MAX)->select({matcher(Kind::equal, "__name__", "requests")});
  REQUIRE(after.size() == 1);
  REQUIRE(after[0]->metadata() != nullptr);
  CHECK(*after[0]->metadata() == renamed);
  // A series selected earlier keeps what it was selected with.
  for (const auto& series : before) {
    if (series->labels() == requests) CHECK(*series->metadata() == counter);
  }
}
