// HeadQuerier through HeadStorage: select with every matcher kind, time ranges,
// iterators and snapshots, label names and values.
#include "common/store/head_querier.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "common/store/head_chunk_file.hpp"
#include "common/store/head_storage.hpp"
#include "tests/support/temp_dir.hpp"

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

// select() reads in steps and walks chunk chains after the locks: while one
// thread appends (new series grow the map, sealed chunks cut new segments)
// and truncates (segments deleted, series removed: a stripe read in steps
// starts over), every series another thread selects reads back once, as an
// unbroken run of its samples, without an error.
TEST_CASE("selects read whole series while appends grow the head and truncation deletes segments",
          "[store][head][querier]") {
  mc::test::TempDir dir;
  mc::HeadOptions options;
  options.stripe_count = 1;  // 600 series: three steps of HeadStorage::kReadStep
  options.chunk_max_samples = 10;
  options.stagger_chunk_seals = false;
  options.chunk_dir = dir.path() / "chunks_head";
  options.chunk_segment_bytes = 8 + 64 * mc::HeadChunkFile::record_bytes(100);
  HeadStorage head(options);
  REQUIRE(head.chunk_file_status().is_ok());
  constexpr int kLasting = 600;  // series 0..599 get a sample every round
  constexpr int64_t kRounds = 400;
  constexpr int kOncePerRound = 16;
  auto value_of = [](int series, int64_t t) { return static_cast<double>(series * 1000 + t); };
  auto labels_of = [](int series) {
    return Labels{{"__name__", "m"}, {"series", std::to_string(series)}};
  };
  // Catch's assertions are not for two threads at once: the writer counts.
  std::atomic<int> failed_commits{0};
  auto append_round = [&](int64_t t) {
    auto appender = head.appender();
    for (int i = 0; i < kLasting; ++i) appender->append(0, labels_of(i), t, value_of(i, t));
    // And series with this round's sample only, which truncation removes:
    // map pages fill and empty, and a select's stripe starts over.
    for (int k = 0; k < kOncePerRound; ++k) {
      const int once = kLasting + static_cast<int>(t) * kOncePerRound + k;
      appender->append(0, labels_of(once), t, value_of(once, t));
    }
    if (!appender->commit().is_ok()) ++failed_commits;
  };
  for (int64_t t = 0; t < 50; ++t) append_round(t);

  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int64_t t = 50; t < kRounds; ++t) {
      append_round(t);
      if (t % 4 == 0) head.truncate(t - 30);
    }
    done = true;
  });
  const Matcher name = matcher(Kind::equal, "__name__", "m");
  int selects = 0;
  bool all_whole = true;
  while (!done || selects < 3) {
    ++selects;
    std::vector<bool> seen(kLasting + kRounds * kOncePerRound, false);
    for (const auto& series : head.querier(INT64_MIN, INT64_MAX)->select({name})) {
      const auto number =
          static_cast<size_t>(std::stoi(std::string(series->labels().get("series"))));
      if (seen[number]) all_whole = false;  // selected twice
      seen[number] = true;
      auto it = series->iterator();
      int64_t previous = -1;
      while (it->next()) {
        const Sample sample = it->at();
        if ((previous >= 0 && sample.t_ms != previous + 1) ||
            sample.v != value_of(static_cast<int>(number), sample.t_ms)) {
          all_whole = false;
        }
        previous = sample.t_ms;
      }
      if (!it->status().is_ok()) all_whole = false;
    }
    for (size_t i = 0; i < kLasting; ++i) all_whole = all_whole && seen[i];
  }
  writer.join();
  CHECK(failed_commits == 0);
  CHECK(all_whole);
  CHECK(selects >= 3);
  CHECK(head.chunk_file_stats().segments_deleted > 0);
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
