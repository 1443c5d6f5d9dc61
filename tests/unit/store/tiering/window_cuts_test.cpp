// Window cuts: where a range's edges cut 5m windows, how many samples each
// side holds and where the counter is estimated at the edge, checked against
// the raw samples the windows were made from.
#include "common/store/tiering/window_cuts.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "common/model/sample_value.hpp"
#include "common/store/tiering/downsample.hpp"

namespace window_cuts_test {

using mc::Sample;
using mc::tiering::AggregateSample;
using mc::tiering::WindowCut;
using mc::tiering::WindowPart;

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kWindow = 5 * kMinute;
constexpr int64_t kScrape = 15 * kSecond;
constexpr int64_t kPhase = 7 * kSecond;  // no sample on a window boundary

// The one window of 20 samples (at kPhase + i * 15 s) valued by `value(i)`.
template <typename Value>
AggregateSample one_window(const Value& value) {
  std::vector<Sample> samples;
  for (int64_t i = 0; i < 20; ++i) samples.push_back(Sample{kPhase + i * kScrape, value(i)});
  auto downsampled = mc::tiering::downsample_raw(samples, kWindow);
  REQUIRE(downsampled);
  REQUIRE(downsampled->windows.size() == 1);
  return downsampled->windows.front();
}

}  // namespace window_cuts_test

using namespace window_cuts_test;

TEST_CASE("window_cuts: both edges of each range, none on a window boundary", "[tiering]") {
  const std::vector<int64_t> ends = {kWindow + 150 * kSecond, 2 * kWindow + 150 * kSecond,
                                     3 * kWindow};
  const std::vector<WindowCut> cuts = mc::tiering::window_cuts(ends, kWindow, kWindow);
  // Ranges [2.5m, 7.5m], [7.5m, 12.5m], [10m, 15m]: the 7.5m edge ends one and
  // starts the next; 10m and 15m are boundaries.
  const int64_t first = 150 * kSecond;
  const int64_t middle = kWindow + 150 * kSecond;
  const int64_t last = 2 * kWindow + 150 * kSecond;
  CHECK(cuts == std::vector<WindowCut>{WindowCut{first}, WindowCut{middle}, WindowCut{middle + 1},
                                       WindowCut{last + 1}});
  CHECK(mc::tiering::window_cuts(std::vector<int64_t>{3 * kWindow}, kWindow, kWindow).empty());
}

TEST_CASE("samples_before and window_parts count the samples each side of a cut", "[tiering]") {
  const AggregateSample window = one_window([](int64_t i) { return static_cast<double>(i); });
  REQUIRE(window.first_t_ms == kPhase);
  REQUIRE(window.t_ms == kPhase + 19 * kScrape);
  // Samples at 7 s, 22 s, 37 s, ...: 3 before 40 s, 3 before 37.001 s, 2 before 37 s.
  CHECK(mc::tiering::samples_before(window, 40 * kSecond) == 3);
  CHECK(mc::tiering::samples_before(window, 37 * kSecond + 1) == 3);
  CHECK(mc::tiering::samples_before(window, 37 * kSecond) == 2);
  CHECK(mc::tiering::samples_before(window, kPhase) == 0);
  CHECK(mc::tiering::samples_before(window, window.t_ms + 1) == 20);

  // A range starting at 150 s and another ending at 200 s.
  const std::vector<WindowCut> cuts = {WindowCut{150 * kSecond}, WindowCut{200 * kSecond + 1}};
  const std::vector<WindowPart> parts = mc::tiering::window_parts(window, cuts);
  // Samples before 150 s: 7..142 s (10); 150..200 s: 157..187 (3); the rest 7.
  REQUIRE(parts.size() == 3);
  CHECK(parts[0].t_ms == 150 * kSecond - 1);
  CHECK(parts[0].count == 10);
  CHECK(parts[1].t_ms == 200 * kSecond);
  CHECK(parts[1].count == 3);
  CHECK(parts[2].t_ms == window.t_ms);
  CHECK(parts[2].count == 7);
  // No cut inside: the window whole.
  const std::vector<WindowCut> outside = {WindowCut{kWindow + 1}};
  CHECK(mc::tiering::window_parts(window, outside).size() == 1);
}

TEST_CASE("counter_inside follows where in the window the counter rose", "[tiering]") {
  const int64_t middle = kPhase + 19 * kScrape / 2;  // between samples 9 and 10
  SECTION("a steady counter: on its line") {
    const AggregateSample window = one_window([](int64_t i) { return 100.0 + 4.0 * i; });
    CHECK(mc::tiering::counter_inside(window, middle) == Approx(100.0 + 4.0 * 9.5));
  }
  SECTION("a counter that rose in the window's first half: above the line, near raw") {
    // +10 a scrape for the first 10, then nothing: 190 at the middle.
    const AggregateSample window = one_window(
        [](int64_t i) { return 100.0 + 10.0 * static_cast<double>(std::min<int64_t>(i, 9)); });
    const double line = 100.0 + 90.0 / 2;
    const double estimate = mc::tiering::counter_inside(window, middle);
    CHECK(estimate > line);
    CHECK(std::abs(estimate - 190.0) <= std::abs(line - 190.0) / 2);
    CHECK(estimate <= 190.0);  // never past the window's last counter
  }
  SECTION("a reset inside the window: the straight line of the reset-adjusted counter") {
    // 500, 510, ... then reset to 0 at sample 12 and +10 a scrape: the
    // adjusted counter rises 10 a scrape except 0 at the reset.
    const AggregateSample window = one_window([](int64_t i) {
      return i < 12 ? 500.0 + 10.0 * static_cast<double>(i) : 10.0 * static_cast<double>(i - 12);
    });
    const double rise = window.counter - window.first_counter;
    const double u = static_cast<double>(middle - window.first_t_ms) /
                     static_cast<double>(window.t_ms - window.first_t_ms);
    CHECK(mc::tiering::counter_inside(window, middle) == Approx(window.first_counter + rise * u));
  }
}

TEST_CASE("counter_points adds the samples either side of each cut, on the counter", "[tiering]") {
  // 3 i^2 at 7 s + 15 i s: a parabola, which the estimate follows exactly.
  std::vector<Sample> samples;
  for (int64_t i = 0; i < 60; ++i) samples.push_back(Sample{kPhase + i * kScrape, 3.0 * i * i});
  auto downsampled = mc::tiering::downsample_raw(samples, kWindow);
  REQUIRE(downsampled);
  const std::vector<int64_t> ends = {2 * kWindow + 150 * kSecond};
  const std::vector<WindowCut> cuts = mc::tiering::window_cuts(ends, kWindow, kWindow);
  const std::vector<mc::tiering::DownsampledSeries> spans = {*downsampled};
  const std::vector<Sample> plain = mc::tiering::counter_points(spans);
  const std::vector<Sample> with_cuts = mc::tiering::counter_points(spans, cuts);
  // The range [7.5m, 12.5m]: samples 29 and 30 (442 s, 457 s) either side of
  // its start, 49 and 50 (742 s, 757 s) either side of its end.
  CHECK(with_cuts.size() == plain.size() + 4);
  for (size_t i = 1; i < with_cuts.size(); ++i) {
    CHECK(with_cuts[i].t_ms > with_cuts[i - 1].t_ms);
    CHECK(with_cuts[i].v >= with_cuts[i - 1].v);
  }
  for (const int64_t i : {29, 30, 49, 50}) {
    INFO("sample " << i);
    const auto found = std::find_if(with_cuts.begin(), with_cuts.end(), [&](const Sample& p) {
      return p.t_ms == kPhase + i * kScrape;
    });
    REQUIRE(found != with_cuts.end());
    CHECK(found->v == Approx(3.0 * static_cast<double>(i * i)));
  }
}
