// HeadLatestReader through HeadStorage::latest_samples(): the newest sample of
// each series in a range, stale markers included, and each series seen once
// while the head's maps change under the reader.
#include "common/store/head_latest_reader.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "common/model/sample_value.hpp"
#include "common/store/head_storage.hpp"

using mc::HeadStorage;
using mc::Labels;
using mc::Sample;

namespace {

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

}  // namespace

TEST_CASE(
    "latest samples: for_each_latest visits the newest sample in range, stale markers included",
    "[store][head][latest]") {
  HeadStorage head;
  fill(head);
  auto appender = head.appender();
  appender->append(0, {{"__name__", "requests"}, {"job", "api"}}, 11'000, mc::stale_nan());
  REQUIRE(appender->commit().is_ok());

  std::map<std::string, Sample> latest;
  head.latest_samples().for_each_latest(
      0, 20'000, [&](const mc::LatestSample& s) { latest[s.labels.to_string()] = s.sample; });
  REQUIRE(latest.size() == 4);
  REQUIRE(latest[R"(up{instance="2", job="api"})"].t_ms == 10'000);
  REQUIRE(latest[R"(up{instance="2", job="api"})"].v == 10);
  REQUIRE(mc::is_stale_nan(latest[R"(requests{job="api"})"].v));

  int in_old_range = 0;
  head.latest_samples().for_each_latest(0, 10'000,
                                        [&](const mc::LatestSample&) { ++in_old_range; });
  REQUIRE(in_old_range == 3);  // requests' newest sample (11000) lies outside
}

// for_each_latest reads the head in short steps, releasing each stripe lock
// between them, while series are created (the maps grow) and truncated (entries
// move back): every series that lives throughout is seen exactly once per
// call, and no series twice.
TEST_CASE("latest samples: for_each_latest sees each series once while series come and go",
          "[store][head][latest]") {
  mc::HeadOptions options;
  options.stripe_count = 2;  // thousands of series per stripe: many steps each
  HeadStorage head(options);
  constexpr int kStable = 4000;
  {
    auto appender = head.appender();
    for (int i = 0; i < kStable; ++i) {
      appender->append(0, {{"__name__", "stable"}, {"i", std::to_string(i)}}, 1'000'000, i);
    }
    REQUIRE(appender->commit().is_ok());
  }

  std::atomic<bool> stop{false};
  std::atomic<int> rounds{0};
  std::thread churn([&] {
    // Bounded: at most 2,000 rounds even if the reader is slow.
    for (int round = 0; round < 2000 && !stop.load(); ++round) {
      auto appender = head.appender();
      for (int i = 0; i < 500; ++i) {
        appender->append(0, {{"__name__", "churn"}, {"i", std::to_string(round * 500 + i)}}, 1, i);
      }
      if (!appender->commit().is_ok()) return;
      head.truncate(2);  // drops every churn series: their newest sample is older
      rounds.fetch_add(1);
    }
  });

  bool each_stable_once = true;
  bool none_twice = true;
  // Reads until the churn has gone on for a while (bounded in calls too).
  for (int call = 0; call < 3000 && (call < 30 || rounds.load() < 100); ++call) {
    std::map<std::string, int> seen;
    head.latest_samples().for_each_latest(
        0, INT64_MAX, [&](const mc::LatestSample& s) { ++seen[s.labels.to_string()]; });
    int stable = 0;
    for (const auto& [labels, times] : seen) {
      if (times != 1) none_twice = false;
      if (labels.rfind("stable", 0) == 0) ++stable;
    }
    if (stable != kStable) each_stable_once = false;
  }
  stop.store(true);
  churn.join();
  CHECK(each_stable_once);
  CHECK(none_twice);
}
