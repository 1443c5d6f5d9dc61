// LatestSampleReader::for_each_latest_in_place on the head: the same newest
// samples as for_each_latest, labels shared with the head, and no series
// missed (repeats allowed) while appends grow the head under the reader.
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "common/model/sample_value.hpp"
#include "common/store/head_storage.hpp"

namespace mc {
namespace {

Labels series(int i) { return Labels{{"__name__", "m"}, {"i", std::to_string(i)}}; }

TEST_CASE("latest samples: the in-place read sees what the copying read sees",
          "[store][head][latest]") {
  HeadStorage head;
  auto appender = head.appender();
  for (int i = 0; i < 1000; ++i) appender->append(0, series(i), 1000 + i, i);
  appender->append(0, series(5000), 900, stale_nan());
  REQUIRE(appender->commit().is_ok());

  for (auto [from, to] : {std::pair<int64_t, int64_t>{0, 5000}, {1500, 1800}}) {
    std::map<std::string, Sample> copied;
    head.latest_samples().for_each_latest(from, to, [&](const LatestSample& latest) {
      copied[latest.labels.to_string()] = latest.sample;
    });
    std::map<std::string, Sample> in_place;
    size_t visits = 0;
    head.latest_samples().for_each_latest_in_place(
        from, to, [&](const LatestSampleInPlace& latest) {
          REQUIRE(latest.labels != nullptr);
          in_place[latest.labels->to_string()] = latest.sample;
          ++visits;
        });
    CHECK(visits == copied.size());  // no layout change: each series once
    REQUIRE(in_place.size() == copied.size());
    for (const auto& [labels, sample] : copied) {
      INFO(labels);
      CHECK(in_place[labels].t_ms == sample.t_ms);
      CHECK((in_place[labels].v == sample.v ||
             (is_stale_nan(in_place[labels].v) && is_stale_nan(sample.v))));
    }
  }
}

TEST_CASE("latest samples: the in-place read misses no series while the head grows",
          "[store][head][latest]") {
  HeadStorage head;
  {
    auto appender = head.appender();
    for (int i = 0; i < 2000; ++i) appender->append(0, series(i), 1000, i);
    REQUIRE(appender->commit().is_ok());
  }
  std::atomic<bool> stop{false};
  std::atomic<int> failed{0};
  std::thread grower([&] {
    for (int round = 0; round < 200 && !stop.load(); ++round) {
      auto appender = head.appender();
      for (int i = 0; i < 100; ++i) appender->append(0, series(10'000 + round * 100 + i), 1000, i);
      if (!appender->commit().is_ok()) ++failed;
    }
  });
  for (int read = 0; read < 20; ++read) {
    std::set<std::string> seen;
    head.latest_samples().for_each_latest_in_place(0, 5000, [&](const LatestSampleInPlace& latest) {
      seen.insert(latest.labels->to_string());
    });
    int missing = 0;
    for (int i = 0; i < 2000; ++i) missing += seen.count(series(i).to_string()) == 0 ? 1 : 0;
    CHECK(missing == 0);
  }
  stop.store(true);
  grower.join();
  CHECK(failed.load() == 0);
}

}  // namespace
}  // namespace mc
