// Reading with ReadHints: a coarser tier serves the times it covers when the
// reader accepts its resolution, with the window value the reader asks for,
// and the querier names the tiers that served.
#include "common/store/tier_query_plan.hpp"

#include <catch2/catch.hpp>

#include "common/store/disk_storage.hpp"
#include "common/store/tiering/downsample.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

const Labels kGauge{{"__name__", "queue_depth"}, {"job", "a"}};
const Labels kCounter{{"__name__", "jobs_total"}, {"job", "a"}};

std::vector<Sample> read(Querier& querier, const Labels& labels) {
  auto name = Matcher::make(Matcher::Kind::equal, "__name__", std::string(labels.metric_name()));
  REQUIRE(name);
  std::vector<Sample> samples;
  for (const auto& series : querier.select({*name})) {
    if (series->labels() != labels) continue;
    auto it = series->iterator();
    while (it->next()) samples.push_back(it->at());
    REQUIRE(it->status());
  }
  return samples;
}

// Two hours of a gauge every 15 s, cut into raw blocks and downsampled to 5m
// while the raw blocks are still kept; then half an hour more in the head.
struct TieredStore {
  TieredStore() {
    options.dir = dir.path();
    options.block_duration_ms = 10 * kMinute;
    options.compaction_interval = 0ms;
    options.wal.fsync_policy = FsyncPolicy::never;
    options.tiers = {{"raw", 0, kDay, 10 * kMinute}, {"5m", 5 * kMinute, kDay, kHour}};
    options.clock = [this] { return now; };
    auto opened = DiskStorage::open(options);
    REQUIRE(opened);
    storage = std::move(*opened);
    append(0, 2 * kHour);
    REQUIRE(storage->flush());
    now = 3 * kHour + 30 * kMinute;
    REQUIRE(storage->compact());
    append(2 * kHour, 2 * kHour + 30 * kMinute);
  }
  void append(int64_t from, int64_t to) {
    auto appender = storage->appender();
    for (int64_t t = from; t < to; t += 15 * kSecond) {
      const double depth = static_cast<double>((t / 15000) % 11) * 0.5;
      ref = appender->append(ref, kGauge, t, depth).ref;
      raw.push_back({t, depth});
      // A counter that resets every 37 minutes, in the tier and after it.
      total = t % (37 * kMinute) == 0 ? 1 : total + static_cast<double>((t / 15000) % 5);
      counter_ref = appender->append(counter_ref, kCounter, t, total).ref;
      counter_raw.push_back({t, total});
    }
    REQUIRE(appender->commit());
  }

  test::TempDir dir;
  DiskStorageOptions options;
  int64_t now = 0;
  std::unique_ptr<DiskStorage> storage;
  SeriesRef ref = 0;
  std::vector<Sample> raw;
  SeriesRef counter_ref = 0;
  double total = 0;
  std::vector<Sample> counter_raw;
};

}  // namespace

TEST_CASE("Without hints raw data serves wherever it exists", "[store][tiering][hints]") {
  TieredStore store;
  auto querier = store.storage->querier(0, 2 * kHour + 30 * kMinute);
  CHECK(querier->tiers() == std::vector<std::string>{"raw"});
  CHECK(read(*querier, kGauge) == store.raw);
}

TEST_CASE("A reader that accepts 5m reads the 5m tier where it has data, raw after it",
          "[store][tiering][hints]") {
  TieredStore store;
  const auto windows = tiering::downsample_raw(
      std::span(store.raw).subspan(0, static_cast<size_t>(2 * kHour / (15 * kSecond))),
      5 * kMinute);
  REQUIRE(windows);
  REQUIRE(windows->windows.size() == 24);

  SECTION("averages by default for a gauge, then the raw samples the tier does not hold yet") {
    auto querier = store.storage->querier(0, 2 * kHour + 30 * kMinute, ReadHints{5 * kMinute});
    CHECK(querier->tiers() == std::vector<std::string>{"raw", "5m"});
    const auto samples = read(*querier, kGauge);
    REQUIRE(samples.size() == 24 + 120);
    for (size_t i = 0; i < 24; ++i) {
      const auto& window = windows->windows[i];
      CHECK(samples[i].t_ms == window.t_ms);
      CHECK(samples[i].v == window.sum / static_cast<double>(window.count));
    }
    CHECK(std::vector<Sample>(samples.begin() + 24, samples.end()) ==
          std::vector<Sample>(store.raw.end() - 120, store.raw.end()));
  }
  SECTION("the minimum of each window when asked for it") {
    auto querier =
        store.storage->querier(0, 2 * kHour - 1, ReadHints{5 * kMinute, WindowValue::Min});
    CHECK(querier->tiers() == std::vector<std::string>{"5m"});
    const auto samples = read(*querier, kGauge);
    REQUIRE(samples.size() == 24);
    for (size_t i = 0; i < 24; ++i) CHECK(samples[i].v == windows->windows[i].min);
  }
  SECTION("a finer limit than the tier's resolution keeps raw data") {
    auto querier = store.storage->querier(0, 2 * kHour - 1, ReadHints{kMinute, WindowValue::Max});
    CHECK(querier->tiers() == std::vector<std::string>{"raw"});
    CHECK(read(*querier, kGauge).size() == 480);
  }
}

TEST_CASE("Raw samples after a preferred tier continue its reset-adjusted counter",
          "[store][tiering][hints]") {
  TieredStore store;
  auto querier = store.storage->querier(0, 2 * kHour + 30 * kMinute,
                                        ReadHints{5 * kMinute, WindowValue::Counter});
  CHECK(querier->tiers() == std::vector<std::string>{"raw", "5m"});
  const auto served = read(*querier, kCounter);
  // Over whole windows, increase equals the raw one everywhere, across the
  // tier's end at 2 h (the first raw sample no longer looks like a reset).
  for (int64_t from = 5 * kMinute; from < 2 * kHour + 30 * kMinute; from += 5 * kMinute) {
    for (int64_t to = from + 5 * kMinute; to <= 2 * kHour + 30 * kMinute; to += 5 * kMinute) {
      INFO("from " << from << " to " << to);
      const auto raw_increase = tiering::increase_over(store.counter_raw, from, to);
      const auto served_increase = tiering::increase_over(served, from, to);
      REQUIRE(raw_increase);
      REQUIRE(served_increase);
      CHECK(*served_increase == *raw_increase);
    }
  }
}

}  // namespace mc
