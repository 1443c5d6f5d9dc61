#include "common/store/tiering/downsample.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "common/util/aligned_window.hpp"

namespace mc::tiering {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// PromQL's counter rule between two consecutive samples: a decrease is a reset
// and the new value is all increase.
double counter_step(double previous, double current) {
  return current >= previous ? current - previous : current;
}

// The reset-adjusted running value of one span's counter, which starts at the
// span's first counter sample.
class CounterRun {
 public:
  // Skips NaN: a NaN has no increase, and taking it as `last_` would turn
  // every later step into NaN.
  void add(const Sample& sample) {
    if (std::isnan(sample.v)) return;
    if (!first_) {
      first_ = sample;
      total_ = sample.v;
    } else {
      total_ += counter_step(last_->v, sample.v);
    }
    last_ = sample;
  }
  double value() const { return first_ ? total_ : kNaN; }
  const std::optional<Sample>& first() const { return first_; }
  const std::optional<Sample>& last() const { return last_; }

 private:
  std::optional<Sample> first_;
  std::optional<Sample> last_;
  double total_ = 0;
};

// min/max as PromQL's min_over_time/max_over_time: NaN only when nothing else.
void take_min(double& into, double value) {
  if (value < into || std::isnan(into)) into = value;
}
void take_max(double& into, double value) {
  if (value > into || std::isnan(into)) into = value;
}

AggregateSample first_of_window(const Sample& sample) {
  return AggregateSample{.t_ms = sample.t_ms,
                         .count = 1,
                         .sum = sample.v,
                         .min = sample.v,
                         .max = sample.v,
                         .counter = kNaN,
                         .first_t_ms = sample.t_ms,
                         .first_counter = kNaN};
}

// Records the window's first counter sample once the counter has taken it.
void note_first_counter(AggregateSample& window, const Sample& sample, double counter) {
  if (!std::isnan(window.first_counter) || std::isnan(sample.v)) return;
  window.first_t_ms = sample.t_ms;
  window.first_counter = counter;
}

void add_to_window(AggregateSample& window, const Sample& sample) {
  window.t_ms = sample.t_ms;
  window.count += 1;
  window.sum += sample.v;
  take_min(window.min, sample.v);
  take_max(window.max, sample.v);
}

// Folds `later`, a window (or part of one) after `into`, into `into`. Counters
// only move forward in time, so the later one wins unless it is not yet known.
void merge_window(AggregateSample& into, const AggregateSample& later) {
  into.t_ms = later.t_ms;
  into.count += later.count;
  into.sum += later.sum;
  take_min(into.min, later.min);
  take_max(into.max, later.max);
  if (!std::isnan(later.counter)) into.counter = later.counter;
  if (std::isnan(into.first_counter) && !std::isnan(later.first_counter)) {
    into.first_t_ms = later.first_t_ms;
    into.first_counter = later.first_counter;
  }
}

// Carries a counter across spans: each span's counters start at its own first
// raw value, and this finds what to add to them so that they continue the
// spans before, a reset between spans counting as in raw data.
class CounterJoin {
 public:
  // The offset for `span`'s counters; call before finish(span).
  double offset_for(const DownsampledSeries& span) const {
    if (!span.first_raw || !last_raw_) return 0;
    double adjusted_first = adjusted_end_ + counter_step(last_raw_->v, span.first_raw->v);
    return adjusted_first - span.first_raw->v;
  }
  // Records where `span` leaves the counter.
  void finish(const DownsampledSeries& span, double offset) {
    if (!span.last_raw) return;
    last_raw_ = span.last_raw;
    // The last window's counter includes the span's last raw sample.
    for (auto it = span.windows.rbegin(); it != span.windows.rend(); ++it) {
      if (!std::isnan(it->counter)) {
        adjusted_end_ = it->counter + offset;
        break;
      }
    }
  }
  // The counter before the current span, for its windows that precede its
  // first counter sample; NaN when no span before had one.
  double value_so_far() const { return last_raw_ ? adjusted_end_ : kNaN; }

 private:
  std::optional<Sample> last_raw_;
  double adjusted_end_ = 0;
};

// The counter at the window's samples either side of each cut inside it, for
// a reader whose ranges start or end there (window_cuts.hpp): the last raw
// sample before the cut and the first from it, where evenly spaced samples
// would sit, valued with the counter estimated there. rate() then sees the
// raw first and last samples of each range, one scrape apart from their
// neighbours outside it, and extrapolates from them as over raw data (not
// from the range's edge: raw rate() extrapolates at the range's average
// slope, which a burst at the edge does not follow). By time, as the cuts.
template <typename Push>
void push_cut_points(const AggregateSample& window, std::span<const WindowCut> cuts, double offset,
                     const Push& push) {
  if (window.count < 3 || window.t_ms <= window.first_t_ms) return;
  const double spacing =
      static_cast<double>(window.t_ms - window.first_t_ms) / static_cast<double>(window.count - 1);
  auto cut = std::upper_bound(cuts.begin(), cuts.end(), window.first_t_ms,
                              [](int64_t t, const WindowCut& c) { return t < c.at_ms; });
  for (; cut != cuts.end() && cut->at_ms <= window.t_ms; ++cut) {
    const uint64_t before = samples_before(window, cut->at_ms);
    for (const uint64_t index : {before - 1, before}) {
      // The window's first and last samples are points already.
      if (index == 0 || index + 1 >= window.count) continue;
      const int64_t t = window.first_t_ms + std::llround(spacing * static_cast<double>(index));
      if (t <= window.first_t_ms || t >= window.t_ms) continue;
      push(Sample{t, counter_inside(window, t) + offset});
    }
  }
}

}  // namespace

Result<DownsampledSeries> downsample_raw(std::span<const Sample> samples, int64_t resolution_ms) {
  if (resolution_ms <= 0) {
    return Status::error(
        fmt::format("downsample: resolution {} ms is not positive", resolution_ms));
  }
  DownsampledSeries out;
  out.resolution_ms = resolution_ms;
  CounterRun counter;
  std::optional<int64_t> current_start;
  for (size_t i = 0; i < samples.size(); ++i) {
    const Sample& sample = samples[i];
    if (i > 0 && sample.t_ms <= samples[i - 1].t_ms) {
      return Status::error(fmt::format(
          "downsample: sample {} at t={} ms is not after the sample before it (t={} ms)", i,
          sample.t_ms, samples[i - 1].t_ms));
    }
    if (is_stale_nan(sample.v)) continue;
    int64_t start = aligned_window_start(sample.t_ms, resolution_ms);
    if (current_start != start) {
      if (current_start) out.windows.back().counter = counter.value();
      out.windows.push_back(first_of_window(sample));
      current_start = start;
    } else {
      add_to_window(out.windows.back(), sample);
    }
    counter.add(sample);
    note_first_counter(out.windows.back(), sample, counter.value());
  }
  if (current_start) out.windows.back().counter = counter.value();
  out.first_raw = counter.first();
  out.last_raw = counter.last();
  return out;
}

Result<DownsampledSeries> downsample_coarser(const DownsampledSeries& series,
                                             int64_t resolution_ms) {
  if (series.resolution_ms <= 0 || resolution_ms <= 0 ||
      resolution_ms % series.resolution_ms != 0) {
    return Status::error(
        fmt::format("downsample: resolution {} ms is not a positive multiple of the series' {} ms",
                    resolution_ms, series.resolution_ms));
  }
  DownsampledSeries out;
  out.resolution_ms = resolution_ms;
  out.first_raw = series.first_raw;
  out.last_raw = series.last_raw;
  std::optional<int64_t> current_start;
  for (const AggregateSample& window : series.windows) {
    int64_t start = aligned_window_start(window.t_ms, resolution_ms);
    if (current_start == start) {
      merge_window(out.windows.back(), window);
    } else {
      out.windows.push_back(window);
      current_start = start;
    }
  }
  return out;
}

Result<DownsampledSeries> concatenate(std::span<const DownsampledSeries> spans) {
  DownsampledSeries out;
  CounterJoin join;
  for (size_t i = 0; i < spans.size(); ++i) {
    const DownsampledSeries& span = spans[i];
    if (span.windows.empty()) continue;
    if (out.resolution_ms == 0) out.resolution_ms = span.resolution_ms;
    if (span.resolution_ms != out.resolution_ms) {
      return Status::error(
          fmt::format("concatenate: span {} has resolution {} ms, the spans before it {} ms", i,
                      span.resolution_ms, out.resolution_ms));
    }
    if (!out.windows.empty() && span.windows.front().t_ms <= out.windows.back().t_ms) {
      return Status::error(fmt::format(
          "concatenate: span {} starts at t={} ms, not after the spans before it end (t={} ms)", i,
          span.windows.front().t_ms, out.windows.back().t_ms));
    }
    double offset = join.offset_for(span);
    double before = join.value_so_far();
    for (AggregateSample window : span.windows) {
      window.counter = std::isnan(window.counter) ? before : window.counter + offset;
      window.first_counter += offset;  // NaN stays NaN
      bool same_window = !out.windows.empty() &&
                         aligned_window_start(out.windows.back().t_ms, out.resolution_ms) ==
                             aligned_window_start(window.t_ms, out.resolution_ms);
      if (same_window) {
        merge_window(out.windows.back(), window);
      } else {
        out.windows.push_back(window);
      }
    }
    join.finish(span, offset);
    if (!out.first_raw) out.first_raw = span.first_raw;
    if (span.last_raw) out.last_raw = span.last_raw;
  }
  return out;
}

std::vector<Sample> counter_points(std::span<const DownsampledSeries> spans,
                                   std::span<const WindowCut> cuts) {
  std::vector<Sample> points;
  size_t most = 0;  // two per window and a span's first: reserved, not regrown
  for (const DownsampledSeries& span : spans) most += 2 * span.windows.size() + 1;
  most += 2 * cuts.size();
  points.reserve(most);
  auto push = [&points](Sample point) {
    // A window whose only sample is the span's first has the same time as it.
    if (!points.empty() && points.back().t_ms >= point.t_ms) return;
    points.push_back(point);
  };
  CounterJoin join;
  for (const DownsampledSeries& span : spans) {
    double offset = join.offset_for(span);
    if (span.first_raw) push(Sample{span.first_raw->t_ms, span.first_raw->v + offset});
    for (const AggregateSample& window : span.windows) {
      if (!std::isnan(window.first_counter)) {
        push(Sample{window.first_t_ms, window.first_counter + offset});
        if (!std::isnan(window.counter)) push_cut_points(window, cuts, offset, push);
      }
      if (!std::isnan(window.counter)) push(Sample{window.t_ms, window.counter + offset});
    }
    join.finish(span, offset);
  }
  return points;
}

std::optional<double> increase_over(std::span<const Sample> samples, int64_t from_ms,
                                    int64_t to_ms) {
  std::optional<double> previous;
  double increase = 0;
  for (const Sample& sample : samples) {
    if (sample.t_ms >= to_ms) break;
    if (std::isnan(sample.v)) continue;  // StaleNaN included
    if (sample.t_ms >= from_ms && previous) increase += counter_step(*previous, sample.v);
    previous = sample.v;
  }
  if (!previous) return std::nullopt;
  return increase;
}

std::optional<double> rate_over(std::span<const Sample> samples, int64_t from_ms, int64_t to_ms) {
  auto increase = increase_over(samples, from_ms, to_ms);
  if (!increase) return std::nullopt;
  return *increase / (static_cast<double>(to_ms - from_ms) / 1000.0);
}

}  // namespace mc::tiering
