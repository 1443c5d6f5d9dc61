#include "common/query/sliding_linear_regression.hpp"

#include <cmath>

namespace mc::query {
namespace {

using Wide = SlidingLinearRegression::Wide;

// Beyond this nΣxy of a window (x up to ~1e9 ms, a million points: n²x up
// to ~1e21) could overflow where 2.42's sums of seconds do not; such windows
// are regressed from their points.
constexpr double kLargestRegressed = 1e270;

bool is_regressable(double v) { return std::isfinite(v) && std::abs(v) <= kLargestRegressed; }

// high + low renormalised, |high| >= |low| or high == 0.
Wide renormalise(double high, double low) {
  const double sum = high + low;
  return Wide{sum, low - (sum - high)};
}

// a + b exactly (Knuth's two-sum), a and b double-doubles.
Wide wide_sum(Wide a, Wide b) {
  const double sum = a.high + b.high;
  const double moved = sum - a.high;
  const double error = (a.high - (sum - moved)) + (b.high - moved);
  return renormalise(sum, error + a.low + b.low);
}

// a * b, a exact double (the product's rounding error by fma).
Wide product(double a, double b) {
  const double p = a * b;
  return Wide{p, std::fma(a, b, -p)};
}

Wide scale(Wide a, double b) {
  const Wide p = product(a.high, b);
  return renormalise(p.high, p.low + a.low * b);
}

Wide negate(Wide a) { return Wide{-a.high, -a.low}; }

}  // namespace

void SlidingLinearRegression::drop_before(int64_t t_ms) {
  while (ring_head_ < ring_.size() && ring_[ring_head_].t_ms < t_ms) {
    const Sample& sample = ring_[ring_head_++];
    if (!is_regressable(sample.v)) {
      --unusual_;
      continue;
    }
    const int64_t x = sample.t_ms - anchor_ms_;
    --n_;
    sum_x_ -= x;
    sum_x2_ -= static_cast<RegressionInt>(x) * x;
    sum_y_ = wide_sum(sum_y_, Wide{-sample.v, 0});
    sum_xy_ = wide_sum(sum_xy_, negate(product(static_cast<double>(x), sample.v)));
  }
  if (ring_head_ == ring_.size()) {
    ring_.clear();
    ring_head_ = 0;
    // Nothing left: start again from exact zeros.
    n_ = 0;
    sum_x_ = 0;
    sum_x2_ = 0;
    sum_y_ = Wide{};
    sum_xy_ = Wide{};
  } else if (ring_head_ > 0 && ring_head_ * 2 >= ring_.size()) {
    ring_.erase(ring_.begin(), ring_.begin() + static_cast<std::ptrdiff_t>(ring_head_));
    ring_head_ = 0;
  }
}

void SlidingLinearRegression::add(const Sample& sample) {
  if (has_newest_ && sample.v != newest_value_) last_change_ms_ = sample.t_ms;
  has_newest_ = true;
  newest_ms_ = sample.t_ms;
  newest_value_ = sample.v;
  if (ring_head_ == ring_.size()) anchor_ms_ = sample.t_ms;
  ring_.push_back(sample);
  if (!is_regressable(sample.v)) {
    ++unusual_;
    return;
  }
  const int64_t x = sample.t_ms - anchor_ms_;
  ++n_;
  sum_x_ += x;
  sum_x2_ += static_cast<RegressionInt>(x) * x;
  sum_y_ = wide_sum(sum_y_, Wide{sample.v, 0});
  sum_xy_ = wide_sum(sum_xy_, product(static_cast<double>(x), sample.v));
}

void SlidingLinearRegression::move_anchor(int64_t anchor_ms) {
  // x' = x - d: Σx' = Σx - nd, Σx'² = Σx² - 2dΣx + nd², Σx'y = Σxy - dΣy.
  const int64_t d = anchor_ms - anchor_ms_;
  if (d == 0) return;
  const RegressionInt shift = d;
  sum_x2_ += -2 * shift * sum_x_ + static_cast<RegressionInt>(n_) * shift * shift;
  sum_x_ -= static_cast<RegressionInt>(n_) * shift;
  sum_xy_ = wide_sum(sum_xy_, negate(scale(sum_y_, static_cast<double>(d))));
  anchor_ms_ = anchor_ms;
}

std::optional<SlidingLinearRegression::Line> SlidingLinearRegression::fit(
    std::span<const Sample> window, int64_t at_ms) {
  drop_before(window.front().t_ms);
  size_t i = window.size();
  while (i > 0 && (!has_newest_ || window[i - 1].t_ms > newest_ms_)) --i;
  for (; i < window.size(); ++i) add(window[i]);
  if (window.size() < 2 || unusual_ > 0) return std::nullopt;
  if (last_change_ms_ <= window.front().t_ms) return Line{0, window.front().v};
  move_anchor(window.front().t_ms);

  const double n = static_cast<double>(n_);
  // Σx is below 2^53 (the window's span times its points): exact.
  const double sum_x = static_cast<double>(sum_x_);
  const Wide covariance = wide_sum(scale(sum_xy_, n), negate(scale(sum_y_, sum_x)));
  const double variance =
      static_cast<double>(static_cast<RegressionInt>(n_) * sum_x2_ - sum_x_ * sum_x_);
  const double slope_per_ms = (covariance.high + covariance.low) / variance;
  // The line passes through the means; from there to at_ms.
  const double to_at_ms =
      static_cast<double>(static_cast<RegressionInt>(n_) * (at_ms - anchor_ms_) - sum_x_) / n;
  const double mean_y = (sum_y_.high + sum_y_.low) / n;
  return Line{slope_per_ms * 1e3, mean_y + slope_per_ms * to_at_ms};
}

}  // namespace mc::query
