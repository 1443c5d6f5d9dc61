#include "common/query/sliding_counter_resets.hpp"

namespace mc::query {

double SlidingCounterResets::change(std::span<const Sample> window) {
  // A reset counts while the point before it is in the window too: the
  // point after it is then later than the window's first.
  const int64_t first_ms = window.front().t_ms;
  while (head_ < resets_.size() && resets_[head_].t_ms <= first_ms) ++head_;
  if (head_ > 0 && head_ * 2 >= resets_.size()) {
    resets_.erase(resets_.begin(), resets_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
  // The points new since the last call, each against the one before it;
  // the window's first has none before it in the window.
  size_t i = window.size();
  while (i > 1 && window[i - 1].t_ms > compared_until_ms_) --i;
  for (; i < window.size(); ++i) {
    // NaN compares false, as in 2.42's `currPoint.V < prevValue`.
    if (window[i].v < window[i - 1].v) resets_.push_back(Reset{window[i].t_ms, window[i - 1].v});
  }
  compared_until_ms_ = window.back().t_ms;

  double change = window.back().v - window.front().v;
  for (size_t r = head_; r < resets_.size(); ++r) change += resets_[r].before;
  return change;
}

}  // namespace mc::query
