// Downsampling of one series: exact aggregates per window, stale markers and
// NaN, and the property the counter aggregate exists for: increase and rate
// over downsampled data equal those over raw data at window boundaries, across
// resets inside windows, at window edges and between blocks.
#include "common/store/tiering/downsample.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "common/model/sample_value.hpp"
#include "common/util/aligned_window.hpp"

using mc::Sample;
using mc::tiering::AggregateSample;
using mc::tiering::DownsampledSeries;

namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;

DownsampledSeries downsample_ok(const std::vector<Sample>& samples, int64_t resolution_ms) {
  auto result = mc::tiering::downsample_raw(samples, resolution_ms);
  if (!result) FAIL(result.error());
  return *result;
}

// Cuts `samples` into spans at the given sample indices and downsamples each,
// as blocks would be.
std::vector<DownsampledSeries> downsample_spans(const std::vector<Sample>& samples,
                                                const std::vector<size_t>& cuts,
                                                int64_t resolution_ms) {
  std::vector<DownsampledSeries> spans;
  size_t begin = 0;
  for (size_t end : cuts) {
    spans.push_back(downsample_ok({samples.begin() + begin, samples.begin() + end}, resolution_ms));
    begin = end;
  }
  spans.push_back(downsample_ok({samples.begin() + begin, samples.end()}, resolution_ms));
  return spans;
}

// A scraped counter: 15 s steps with jitter, whole-number increments (so that
// every sum is exact and comparisons can be ==), resets, gaps and stale markers.
std::vector<Sample> random_counter(uint64_t seed, int64_t start_ms, size_t count) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> percent(0, 99);
  std::uniform_int_distribution<int> increment(0, 9);
  std::uniform_int_distribution<int64_t> jitter(0, 2000);
  std::vector<Sample> samples;
  int64_t t = start_ms;
  double value = 1000;
  for (size_t i = 0; i < count; ++i) {
    t += 15'000 + jitter(random);
    int roll = percent(random);
    if (roll == 0) t += 20 * kMinute;  // the target was away
    if (roll == 1) {
      samples.push_back({t, mc::stale_nan()});
      continue;
    }
    if (roll == 2) {
      value = increment(random);  // the target restarted
    } else {
      value += increment(random);
    }
    samples.push_back({t, value});
  }
  return samples;
}

// Checks increase_over on raw samples against downsampled counter points over
// ranges whose ends are window boundaries; returns how many ranges had data.
size_t check_increase_at_boundaries(const std::vector<Sample>& raw,
                                    const std::vector<Sample>& points, int64_t resolution_ms) {
  int64_t first = mc::aligned_window_start(raw.front().t_ms, resolution_ms) - resolution_ms;
  int64_t last = raw.back().t_ms + 2 * resolution_ms;
  size_t compared = 0;
  for (int64_t from = first; from <= last; from += resolution_ms) {
    for (int64_t windows : {1, 2, 3, 12, 100, 1000}) {
      int64_t to = from + windows * resolution_ms;
      auto expected = mc::tiering::increase_over(raw, from, to);
      auto actual = mc::tiering::increase_over(points, from, to);
      INFO("range [" << from << ", " << to << ")");
      REQUIRE(expected.has_value() == actual.has_value());
      if (!expected) continue;
      REQUIRE(*actual == *expected);
      REQUIRE(*mc::tiering::rate_over(points, from, to) == *mc::tiering::rate_over(raw, from, to));
      ++compared;
    }
  }
  return compared;
}

bool same_aggregates(const AggregateSample& a, const AggregateSample& b) {
  auto same = [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); };
  return a.t_ms == b.t_ms && a.count == b.count && same(a.sum, b.sum) && same(a.min, b.min) &&
         same(a.max, b.max) && same(a.counter, b.counter) && a.first_t_ms == b.first_t_ms &&
         same(a.first_counter, b.first_counter);
}

void require_same_series(const DownsampledSeries& actual, const DownsampledSeries& expected) {
  REQUIRE(actual.resolution_ms == expected.resolution_ms);
  REQUIRE(actual.windows.size() == expected.windows.size());
  for (size_t i = 0; i < expected.windows.size(); ++i) {
    INFO("window " << i << " at t=" << expected.windows[i].t_ms);
    REQUIRE(same_aggregates(actual.windows[i], expected.windows[i]));
  }
  REQUIRE(actual.first_raw == expected.first_raw);
  REQUIRE(actual.last_raw == expected.last_raw);
}

}  // namespace

TEST_CASE("downsample: each window's count, sum, min, max, counter and time",
          "[tiering][downsample]") {
  // Windows of 10 ms; the values fall, so the counter sees resets at 4, 12, 29.
  auto series = downsample_ok({{1, 5}, {4, 3}, {9, 7}, {12, 2}, {25, 4}, {29, 1}}, 10);
  CHECK(series.resolution_ms == 10);
  REQUIRE(series.windows.size() == 3);
  CHECK(series.windows[0] == AggregateSample{.t_ms = 9,
                                             .count = 3,
                                             .sum = 15,
                                             .min = 3,
                                             .max = 7,
                                             .counter = 12,
                                             .first_t_ms = 1,
                                             .first_counter = 5});
  CHECK(series.windows[1] == AggregateSample{.t_ms = 12,
                                             .count = 1,
                                             .sum = 2,
                                             .min = 2,
                                             .max = 2,
                                             .counter = 14,
                                             .first_t_ms = 12,
                                             .first_counter = 14});
  CHECK(series.windows[2] == AggregateSample{.t_ms = 29,
                                             .count = 2,
                                             .sum = 5,
                                             .min = 1,
                                             .max = 4,
                                             .counter = 17,
                                             .first_t_ms = 25,
                                             .first_counter = 16});
  CHECK(series.first_raw == Sample{1, 5});
  CHECK(series.last_raw == Sample{29, 1});
}

TEST_CASE("downsample: a counter without resets keeps its raw values", "[tiering][downsample]") {
  auto series = downsample_ok({{0, 10}, {4, 12}, {10, 20}, {19, 25}}, 10);
  REQUIRE(series.windows.size() == 2);
  CHECK(series.windows[0].counter == 12);
  CHECK(series.windows[1].counter == 25);
}

TEST_CASE("downsample: windows are aligned to multiples of the resolution, negative times too",
          "[tiering][downsample]") {
  CHECK(mc::aligned_window_start(0, 300) == 0);
  CHECK(mc::aligned_window_start(299, 300) == 0);
  CHECK(mc::aligned_window_start(300, 300) == 300);
  CHECK(mc::aligned_window_start(-1, 300) == -300);
  CHECK(mc::aligned_window_start(-300, 300) == -300);
  auto series = downsample_ok({{-5, 1}, {-1, 2}, {0, 3}}, 10);
  REQUIRE(series.windows.size() == 2);
  CHECK(series.windows[0].t_ms == -1);
  CHECK(series.windows[0].count == 2);
  CHECK(series.windows[1].t_ms == 0);
}

TEST_CASE("downsample: stale markers are not samples and do not end a counter run",
          "[tiering][downsample]") {
  const std::vector<Sample> raw{
      {1, 1}, {2, mc::stale_nan()}, {3, 2}, {15, mc::stale_nan()}, {21, 1}};
  auto series = downsample_ok(raw, 10);
  // The window [10, 20) held only a marker: no aggregate.
  REQUIRE(series.windows.size() == 2);
  CHECK(series.windows[0] == AggregateSample{.t_ms = 3,
                                             .count = 2,
                                             .sum = 3,
                                             .min = 1,
                                             .max = 2,
                                             .counter = 2,
                                             .first_t_ms = 1,
                                             .first_counter = 1});
  // 2 -> 1 across the marker is a reset, as PromQL sees it over raw data.
  CHECK(series.windows[1] == AggregateSample{.t_ms = 21,
                                             .count = 1,
                                             .sum = 1,
                                             .min = 1,
                                             .max = 1,
                                             .counter = 3,
                                             .first_t_ms = 21,
                                             .first_counter = 3});
  CHECK(*mc::tiering::increase_over(raw, 0, 30) == 2);
  std::vector<DownsampledSeries> spans{series};
  CHECK(*mc::tiering::increase_over(mc::tiering::counter_points(spans), 0, 30) == 2);
}

TEST_CASE("downsample: NaN is a sample for count, sum, min and max, not for the counter",
          "[tiering][downsample]") {
  double nan = std::nan("");
  auto series = downsample_ok({{1, nan}, {2, 4}, {11, nan}}, 10);
  REQUIRE(series.windows.size() == 2);
  CHECK(series.windows[0].count == 2);
  CHECK(std::isnan(series.windows[0].sum));
  CHECK(series.windows[0].min == 4);  // as min_over_time: NaN only when alone
  CHECK(series.windows[0].max == 4);
  CHECK(series.windows[0].counter == 4);
  CHECK(series.windows[1].count == 1);
  CHECK(std::isnan(series.windows[1].min));
  CHECK(std::isnan(series.windows[1].max));
  CHECK(series.windows[1].counter == 4);  // carried over the NaN
  CHECK(series.first_raw == Sample{2, 4});
  CHECK(series.last_raw == Sample{2, 4});
}

TEST_CASE("downsample: nothing in, nothing out", "[tiering][downsample]") {
  auto empty = downsample_ok({}, 10);
  CHECK(empty.windows.empty());
  CHECK_FALSE(empty.first_raw.has_value());
  auto only_stale = downsample_ok({{1, mc::stale_nan()}, {2, mc::stale_nan()}}, 10);
  CHECK(only_stale.windows.empty());
  std::vector<DownsampledSeries> spans{empty, only_stale};
  CHECK(mc::tiering::counter_points(spans).empty());
  CHECK_FALSE(mc::tiering::increase_over(std::vector<Sample>{}, 0, 10).has_value());
}

TEST_CASE("downsample: errors name the sample and the resolution", "[tiering][downsample]") {
  auto unordered = mc::tiering::downsample_raw(std::vector<Sample>{{5, 1}, {7, 2}, {7, 3}}, 10);
  REQUIRE_FALSE(unordered.is_ok());
  CHECK(unordered.error() ==
        "downsample: sample 2 at t=7 ms is not after the sample before it (t=7 ms)");
  auto no_resolution = mc::tiering::downsample_raw(std::vector<Sample>{{5, 1}}, 0);
  REQUIRE_FALSE(no_resolution.is_ok());
  CHECK(no_resolution.error() == "downsample: resolution 0 ms is not positive");

  auto five_minutes = downsample_ok({{5, 1}}, 5 * kMinute);
  auto not_multiple = mc::tiering::downsample_coarser(five_minutes, 7 * kMinute);
  REQUIRE_FALSE(not_multiple.is_ok());
  CHECK(not_multiple.error() ==
        "downsample: resolution 420000 ms is not a positive multiple of the series' 300000 ms");

  std::vector<DownsampledSeries> mixed{five_minutes, downsample_ok({{kHour, 1}}, kHour)};
  auto concatenated = mc::tiering::concatenate(mixed);
  REQUIRE_FALSE(concatenated.is_ok());
  CHECK(concatenated.error() ==
        "concatenate: span 1 has resolution 3600000 ms, the spans before it 300000 ms");
  std::vector<DownsampledSeries> backwards{downsample_ok({{kHour, 1}}, 5 * kMinute), five_minutes};
  auto overlapping = mc::tiering::concatenate(backwards);
  REQUIRE_FALSE(overlapping.is_ok());
  CHECK(overlapping.error() ==
        "concatenate: span 1 starts at t=5 ms, not after the spans before it end (t=3600000 ms)");
}

TEST_CASE("downsample: a reset between two blocks counts as in raw data", "[tiering][downsample]") {
  // Block A ends at 100; block B starts at 5 (the target restarted).
  const std::vector<Sample> raw{{1, 90}, {8, 100}, {12, 5}, {18, 9}, {25, 12}};
  auto spans = downsample_spans(raw, {2}, 10);
  // Each block alone does not know of the reset: B's counter starts at 5.
  CHECK(spans[1].windows[0].counter == 9);
  auto points = mc::tiering::counter_points(spans);
  CHECK(points == std::vector<Sample>{{1, 90}, {8, 100}, {12, 105}, {18, 109}, {25, 112}});
  CHECK(*mc::tiering::increase_over(raw, 0, 30) == 22);  // 10 + 5 (reset) + 4 + 3
  CHECK(*mc::tiering::increase_over(points, 0, 30) == 22);
  CHECK(*mc::tiering::increase_over(points, 10, 20) == 9);  // from 100 at t=8 to 9 at t=18
  CHECK(*mc::tiering::increase_over(raw, 10, 20) == 9);
  CHECK(*mc::tiering::rate_over(points, 0, 30'000) == Approx(22.0 / 30));

  auto joined = mc::tiering::concatenate(spans);
  REQUIRE(joined.is_ok());
  require_same_series(*joined, downsample_ok(raw, 10));
}

TEST_CASE("downsample: increase over downsampled data equals raw at every window boundary",
          "[tiering][downsample]") {
  const int64_t start = 1'700'000'000'000;
  for (uint64_t seed : {1, 2, 3}) {
    INFO("seed " << seed);
    auto raw = random_counter(seed, start, 6000);  // about a day of 15 s scrapes
    // Blocks cut at 2 h boundaries, and blocks cut anywhere (inside windows).
    std::vector<size_t> aligned_cuts;
    for (size_t i = 1; i < raw.size(); ++i) {
      if (raw[i].t_ms / (2 * kHour) != raw[i - 1].t_ms / (2 * kHour)) aligned_cuts.push_back(i);
    }
    std::vector<size_t> ragged_cuts{97, 1000, 1001, 2500, 4444};
    for (const auto& cuts : {aligned_cuts, ragged_cuts}) {
      auto spans = downsample_spans(raw, cuts, 5 * kMinute);
      auto points = mc::tiering::counter_points(spans);
      CHECK(check_increase_at_boundaries(raw, points, 5 * kMinute) > 1000);

      auto joined = mc::tiering::concatenate(spans);
      REQUIRE(joined.is_ok());
      require_same_series(*joined, downsample_ok(raw, 5 * kMinute));
    }
  }
}

TEST_CASE("downsample: 5m to 1h equals raw to 1h", "[tiering][downsample]") {
  const int64_t start = 1'700'000'000'000;
  auto raw = random_counter(7, start, 20000);  // about three and a half days
  auto five_minutes = downsample_ok(raw, 5 * kMinute);
  auto one_hour = mc::tiering::downsample_coarser(five_minutes, kHour);
  REQUIRE(one_hour.is_ok());
  require_same_series(*one_hour, downsample_ok(raw, kHour));

  // As the tiers run it: 5m blocks of a day, joined, then to 1h.
  std::vector<size_t> day_cuts;
  for (size_t i = 1; i < raw.size(); ++i) {
    if (raw[i].t_ms / (24 * kHour) != raw[i - 1].t_ms / (24 * kHour)) day_cuts.push_back(i);
  }
  auto day_blocks = downsample_spans(raw, day_cuts, 5 * kMinute);
  auto joined = mc::tiering::concatenate(day_blocks);
  REQUIRE(joined.is_ok());
  auto from_blocks = mc::tiering::downsample_coarser(*joined, kHour);
  REQUIRE(from_blocks.is_ok());
  require_same_series(*from_blocks, downsample_ok(raw, kHour));
  std::vector<DownsampledSeries> hourly{*from_blocks};
  CHECK(check_increase_at_boundaries(raw, mc::tiering::counter_points(hourly), kHour) > 100);

  // Aggregates of the 1h windows, checked against a direct count.
  const AggregateSample& first = from_blocks->windows.front();
  uint64_t count = 0;
  double sum = 0;
  for (const Sample& sample : raw) {
    if (mc::aligned_window_start(sample.t_ms, kHour) !=
        mc::aligned_window_start(first.t_ms, kHour)) {
      continue;
    }
    if (mc::is_stale_nan(sample.v)) continue;
    ++count;
    sum += sample.v;
  }
  CHECK(first.count == count);
  CHECK(first.sum == sum);
}
