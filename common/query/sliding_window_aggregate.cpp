#include "common/query/sliding_window_aggregate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/query/sample_quantile.hpp"

namespace mc::query {
namespace {

// Beyond this a running sum of a window could overflow where Prometheus's
// mean (x/n - mean/n) does not; such windows are computed from their points.
constexpr double kLargestSummed = 1e290;

bool is_summable(double v) { return std::isfinite(v) && std::abs(v) <= kLargestSummed; }

// The extreme of two runs of points, `earlier` of the earlier run, as
// Prometheus's loop `if cur < min || isNaN(min)` leaves it: the later one
// only where strictly beyond (of equal values, -0 and 0, the earlier stays)
// or where the earlier is NaN. NaN is the identity (an empty run), and NaN
// comes out only where both are. Associative, so runs combine in any
// grouping; without a branch (`|`), as random values would mispredict one.
template <SlidingAggregate kKind>
double extreme_of(double earlier, double later) {
  const bool beyond = kKind == SlidingAggregate::Min ? later < earlier : later > earlier;
  return (beyond | std::isnan(earlier)) ? later : earlier;
}

}  // namespace

std::optional<SlidingAggregate> sliding_aggregate_for(std::string_view function_name) {
  if (function_name == "min_over_time") return SlidingAggregate::Min;
  if (function_name == "max_over_time") return SlidingAggregate::Max;
  if (function_name == "sum_over_time") return SlidingAggregate::Sum;
  if (function_name == "avg_over_time") return SlidingAggregate::Avg;
  if (function_name == "count_over_time") return SlidingAggregate::Count;
  if (function_name == "last_over_time") return SlidingAggregate::Last;
  if (function_name == "present_over_time") return SlidingAggregate::Present;
  if (function_name == "quantile_over_time") return SlidingAggregate::Quantile;
  return std::nullopt;
}

bool worth_sliding(SlidingAggregate kind, int64_t range_ms, int64_t advance_ms, size_t steps) {
  switch (kind) {
    case SlidingAggregate::Count:
    case SlidingAggregate::Last:
    case SlidingAggregate::Present:
      return true;
    case SlidingAggregate::Min:
    case SlidingAggregate::Max:
      return steps > 1 && advance_ms * 3 <= range_ms;
    case SlidingAggregate::Sum:
    case SlidingAggregate::Avg:
    case SlidingAggregate::Quantile:
      return steps > 1 && advance_ms < range_ms;
  }
  return false;
}

void SlidingWindowAggregate::drop_before(int64_t t_ms) {
  while (ring_head_ < ring_.size() && ring_[ring_head_].t_ms < t_ms) {
    const double v = ring_[ring_head_++].v;
    if (kind_ == SlidingAggregate::Quantile) {
      if (std::isnan(v)) {
        --nans_;
      } else {
        leaving_.push_back(v);
      }
      continue;
    }
    if (!is_summable(v)) {
      --unusual_;
      continue;
    }
    // Two-sum of (high, -v), its rounding error carried in low.
    const double sum = sum_high_ - v;
    const double moved = sum - sum_high_;
    const double error = (sum_high_ - (sum - moved)) + (-v - moved);
    const double low = sum_low_ + error;
    sum_high_ = sum + low;
    sum_low_ = low - (sum_high_ - sum);
  }
  if (ring_head_ == ring_.size()) {
    ring_.clear();
    ring_head_ = 0;
    // Nothing left: start again from an exact zero.
    sum_high_ = 0;
    sum_low_ = 0;
  } else if (ring_head_ > 0 && ring_head_ * 2 >= ring_.size()) {
    ring_.erase(ring_.begin(), ring_.begin() + static_cast<std::ptrdiff_t>(ring_head_));
    ring_head_ = 0;
  }
}

void SlidingWindowAggregate::add(const Sample& sample) {
  ring_.push_back(sample);
  if (kind_ == SlidingAggregate::Quantile) {
    if (std::isnan(sample.v)) {
      ++nans_;
    } else {
      entering_.push_back(sample.v);
    }
    return;
  }
  if (!is_summable(sample.v)) {
    ++unusual_;
    return;
  }
  const double sum = sum_high_ + sample.v;
  const double moved = sum - sum_high_;
  const double error = (sum_high_ - (sum - moved)) + (sample.v - moved);
  const double low = sum_low_ + error;
  sum_high_ = sum + low;
  sum_low_ = low - (sum_high_ - sum);
}

void SlidingWindowAggregate::resort() {
  // Out, then in: each a sorted batch walked once against the kept values.
  if (!leaving_.empty()) {
    std::sort(leaving_.begin(), leaving_.end());
    size_t kept = 0;
    size_t gone = 0;
    for (size_t i = 0; i < sorted_.size(); ++i) {
      // Equal values are interchangeable (-0 and 0 too: either may go).
      if (gone < leaving_.size() && !(sorted_[i] < leaving_[gone]) &&
          !(leaving_[gone] < sorted_[i])) {
        ++gone;
        continue;
      }
      sorted_[kept++] = sorted_[i];
    }
    sorted_.resize(kept);
    leaving_.clear();
  }
  if (!entering_.empty()) {
    std::sort(entering_.begin(), entering_.end());
    const auto middle = static_cast<std::ptrdiff_t>(sorted_.size());
    sorted_.insert(sorted_.end(), entering_.begin(), entering_.end());
    std::inplace_merge(sorted_.begin(), sorted_.begin() + middle, sorted_.end());
    entering_.clear();
  }
}

template <SlidingAggregate kKind>
double SlidingWindowAggregate::update_extreme(std::span<const Sample> window) {
  const double none = std::numeric_limits<double>::quiet_NaN();
  const int64_t start_ms = window.front().t_ms;
  while (front_ < times_.size() && times_[front_] < start_ms) ++front_;
  // The points after the newest one taken in are new; the window holds them
  // at its end.
  size_t fresh = window.size();
  while (fresh > 0 && (!has_newest_ || window[fresh - 1].t_ms > newest_ms_)) --fresh;
  for (size_t i = fresh; i < window.size(); ++i) {
    times_.push_back(window[i].t_ms);
    values_.push_back(window[i].v);
    back_extreme_ = extreme_of<kKind>(back_extreme_, window[i].v);
  }
  newest_ms_ = window.back().t_ms;
  has_newest_ = true;
  if (front_ >= back_start_) {
    // The front is used up: the back becomes it, each point with the
    // extreme from it to the back's end.
    front_ = std::max(front_, back_start_);
    double extreme = none;
    for (size_t i = values_.size(); i > front_; --i) {
      extreme = extreme_of<kKind>(values_[i - 1], extreme);
      values_[i - 1] = extreme;
    }
    back_start_ = values_.size();
    back_extreme_ = none;
    if (front_ > 0) {
      // What no window reaches again: the front starts at 0 once more.
      times_.erase(times_.begin(), times_.begin() + static_cast<std::ptrdiff_t>(front_));
      values_.erase(values_.begin(), values_.begin() + static_cast<std::ptrdiff_t>(front_));
      back_start_ -= front_;
      front_ = 0;
    }
  }
  return extreme_of<kKind>(front_ < back_start_ ? values_[front_] : none, back_extreme_);
}

std::optional<double> SlidingWindowAggregate::update(std::span<const Sample> window, double phi) {
  switch (kind_) {
    case SlidingAggregate::Count:
      return static_cast<double>(window.size());
    case SlidingAggregate::Last:
      return window.back().v;
    case SlidingAggregate::Present:
      return 1.0;
    case SlidingAggregate::Min:
      return update_extreme<SlidingAggregate::Min>(window);
    case SlidingAggregate::Max:
      return update_extreme<SlidingAggregate::Max>(window);
    default:
      break;
  }
  drop_before(window.front().t_ms);
  // The points after the newest one taken in are new; the window holds them
  // at its end.
  size_t fresh = window.size();
  while (fresh > 0 && (!has_newest_ || window[fresh - 1].t_ms > newest_ms_)) --fresh;
  for (size_t i = fresh; i < window.size(); ++i) add(window[i]);
  newest_ms_ = window.back().t_ms;
  has_newest_ = true;

  switch (kind_) {
    case SlidingAggregate::Sum:
      if (unusual_ > 0) return std::nullopt;
      return sum_high_ + sum_low_;
    case SlidingAggregate::Avg:
      if (unusual_ > 0) return std::nullopt;
      return (sum_high_ + sum_low_) / static_cast<double>(ring_.size() - ring_head_);
    case SlidingAggregate::Quantile:
      resort();
      return sorted_sample_quantile(phi, nans_ + sorted_.size(), [&](size_t i) {
        return i < nans_ ? std::numeric_limits<double>::quiet_NaN() : sorted_[i - nans_];
      });
    default:
      return std::nullopt;
  }
}

}  // namespace mc::query
