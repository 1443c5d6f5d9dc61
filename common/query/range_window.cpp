#include "common/query/range_window.hpp"

#include <algorithm>

#include "common/model/sample_value.hpp"

namespace mc::query {

void RangeWindow::drop_before(int64_t mint_ms) {
  while (first_ < points_.size() && points_[first_].t_ms < mint_ms) ++first_;
  // Compact once the dropped part dominates, so the buffer stays the window's size.
  if (first_ > 0 && first_ * 2 >= points_.size()) {
    points_.erase(points_.begin(), points_.begin() + static_cast<std::ptrdiff_t>(first_));
    first_ = 0;
  }
}

std::span<const Sample> RangeWindow::advance(int64_t mint_ms, int64_t maxt_ms) {
  drop_before(mint_ms);
  if (state_ == State::NotStarted || (state_ == State::Ahead && ahead_.t_ms < mint_ms)) {
    if (samples_->seek(mint_ms)) {
      ahead_ = samples_->at();
      state_ = State::Ahead;
    } else {
      state_ = State::Exhausted;
    }
  }
  if (state_ == State::Ahead && ahead_.t_ms <= maxt_ms) {
    const size_t from = points_.size();
    if (samples_->read_until(maxt_ms, points_)) {
      ahead_ = samples_->at();
    } else {
      state_ = State::Exhausted;
    }
    points_.erase(std::remove_if(points_.begin() + static_cast<std::ptrdiff_t>(from), points_.end(),
                                 [](const Sample& sample) { return is_stale_nan(sample.v); }),
                  points_.end());
  }
  return std::span<const Sample>(points_).subspan(first_);
}

}  // namespace mc::query
