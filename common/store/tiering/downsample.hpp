// Downsampling of one series: raw samples, or aggregates of a finer
// resolution, become per-window aggregates (count, sum, min, max, counter), in
// the manner of Thanos's downsampling, so that a year of data can be kept at
// 1h resolution while queries over it (avg, min, max, rate, increase) stay
// right. Pure functions over memory; the block store reads and writes them.
//
// Windows are [k * resolution, (k + 1) * resolution) in Unix milliseconds; a
// window without samples yields no aggregate. Each aggregate carries the time
// of the last sample of its window (Thanos stamps the window's last
// millisecond instead; a real sample time keeps every aggregate at an instant
// the raw series actually had the value `counter` says, and it stays the same
// through further downsampling).
//
// Per window:
//   count    samples in the window (StaleNaN markers are not samples)
//   sum      their sum (NaN when one of them is NaN)
//   min/max  as PromQL's min_over_time/max_over_time: NaN values are ignored
//            unless the window holds nothing else
//   counter  the series read as a counter, reset-adjusted: the first counter
//            sample's value plus every increase since then up to the window's
//            last sample, where a decrease between two consecutive samples is
//            a reset and counts the new value in full (PromQL's rule). For a
//            counter without resets this is the raw value itself.
//   first_t_ms, first_counter
//            the window's first counter sample: its time and the counter
//            (as above) at it; NaN counter when the window has none. rate()
//            over raw samples starts at the first sample inside its range:
//            with only the window's last sample, a range starting on a window
//            boundary took the increase between the previous window's last
//            sample and this one's first (one scrape, up to 7 times the mean
//            on a bursty counter) for part of the range (2.47% off, measured).
//
// Decisions:
//   - A StaleNaN marker is skipped. It does not end a counter run: the next
//     sample is compared with the last one before the marker, as PromQL's
//     rate() does over raw data (it drops stale markers from range vectors). A
//     target that restarts while it is away shows as a decrease, hence a reset.
//   - An ordinary NaN is a sample for count, sum, min and max but not for the
//     counter (a NaN has no increase): the counter skips it, as
//     increase_over() does. Windows before a span's first non-NaN value have
//     a NaN counter.
//
// Counters across spans. A DownsampledSeries covers one span (one block). Its
// counters start from its own first raw value, so a reset between two blocks
// is invisible inside either; each span therefore keeps its first and last raw
// counter samples (Thanos keeps them inside its counter chunk). Joining spans
// (counter_points, concatenate) compares the last raw value of one span with
// the first raw value of the next, exactly as consecutive raw samples are
// compared. With that, over any range [from, to) whose ends are multiples of
// the resolution, increase_over(counter_points(downsampled)) equals
// increase_over(raw samples), resets included (exactly, when the values and
// their sums are exact in a double, e.g. whole numbers below 2^53).
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/model/sample_value.hpp"
#include "common/store/tiering/window_cuts.hpp"
#include "common/util/status.hpp"

namespace mc::tiering {

// The aggregates of one window.
struct AggregateSample {
  int64_t t_ms = 0;  // the time of the window's last sample
  uint64_t count = 0;
  double sum = 0;
  double min = 0;
  double max = 0;
  double counter = 0;
  int64_t first_t_ms = 0;
  double first_counter = 0;

  bool operator==(const AggregateSample&) const = default;
};

// One series over one span of time (a block's range), downsampled.
struct DownsampledSeries {
  int64_t resolution_ms = 0;
  // One per window that has samples, by time.
  std::vector<AggregateSample> windows;
  // The first and last raw samples the counter saw (not StaleNaN, not NaN);
  // absent when there is none. They let the next span detect a reset between
  // spans, and the first one is the baseline of a range that starts with the
  // series.
  std::optional<Sample> first_raw;
  std::optional<Sample> last_raw;
};

// Aggregates one series' raw samples (strictly increasing timestamps, StaleNaN
// markers allowed) into windows of `resolution_ms` (> 0). Fails, naming the
// sample's index and times, when timestamps do not increase.
Result<DownsampledSeries> downsample_raw(std::span<const Sample> samples, int64_t resolution_ms);

// Aggregates an already downsampled span again, to `resolution_ms`, a
// multiple of its resolution (5m -> 1h): count and sum add up, min and max of
// the windows' mins and maxes, counter of the last window (counters of one span
// share one baseline, so no reset handling is needed), time of the last window.
// The result equals downsampling the raw samples straight to `resolution_ms`.
Result<DownsampledSeries> downsample_coarser(const DownsampledSeries& series,
                                             int64_t resolution_ms);

// Joins consecutive spans of one series (the 5m blocks of ten days, before
// they become one 1h block) into one span: counters are rebased so that they
// continue across the joins, a reset between spans counting as in raw data,
// and a window cut in two by a span boundary becomes one. Spans must have the
// same resolution and follow each other in time; empty ones are skipped.
Result<DownsampledSeries> concatenate(std::span<const DownsampledSeries> spans);

// The reset-free counter series that rate() and increase() read from
// downsampled spans: for each span its first raw sample, then two points per
// window, its first counter sample and its last (one when they are the same
// sample), each valued with its counter, all rebased across spans as
// concatenate() does. Consecutive points in different windows are
// consecutive raw samples. Windows with a NaN counter are left out. With
// `cuts` (window_cuts.hpp, by at_ms), a window a cut falls inside also gets
// points at the two samples either side of the cut, where evenly spaced
// samples would sit, valued with the counter estimated there
// (counter_inside).
std::vector<Sample> counter_points(std::span<const DownsampledSeries> spans,
                                   std::span<const WindowCut> cuts = {});

// The increase of a counter over [from_ms, to_ms): the sum, over consecutive
// samples from the last sample before `from_ms` (or the first sample, when
// there is none before) to the last sample before `to_ms`, of each increase,
// a decrease counting as a reset to the new value. StaleNaN markers and NaN
// values are skipped. Works on raw samples and on counter_points(). Unlike
// PromQL's increase() it does not extrapolate to the range's ends: where the
// samples sit is what downsampling changes, and this is the quantity that
// survives it. nullopt when no sample precedes `to_ms`.
std::optional<double> increase_over(std::span<const Sample> samples, int64_t from_ms,
                                    int64_t to_ms);

// increase_over() per second of the range. REQUIRES: to_ms > from_ms
std::optional<double> rate_over(std::span<const Sample> samples, int64_t from_ms, int64_t to_ms);

}  // namespace mc::tiering
