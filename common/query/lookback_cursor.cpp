#include "common/query/lookback_cursor.hpp"

#include <limits>

namespace mc::query {

std::optional<Sample> LookbackCursor::newest(int64_t floor_ms, int64_t at_ms) {
  // Windows that overlap (the step at most the lookback) read every sample
  // between the first floor and the last step anyway: then up to 64 steps'
  // samples come in one read, not one virtual call through the merge of the
  // blocks per step (which was most of a 1-hour instant selector's CPU at a
  // 15 s step). Apart, the gaps between windows are skipped in the store.
  const int64_t step = started_ ? at_ms - last_at_ms_ : 0;
  started_ = true;
  last_at_ms_ = at_ms;
  int64_t read_to = at_ms;
  if (step > 0 && step <= at_ms - floor_ms) {
    constexpr int64_t kStepsAhead = 64;
    const int64_t ahead = step <= std::numeric_limits<int64_t>::max() / kStepsAhead
                              ? step * kStepsAhead
                              : std::numeric_limits<int64_t>::max();
    read_to = at_ms <= std::numeric_limits<int64_t>::max() - ahead
                  ? at_ms + ahead
                  : std::numeric_limits<int64_t>::max();
  }
  while (true) {
    // The newest read sample up to at_ms.
    while (next_ < read_.size() && read_[next_].t_ms <= at_ms) newest_ = read_[next_++];
    if (next_ < read_.size()) break;  // the next one is past at_ms
    // Samples before the floor cannot matter any more: skip them in the store.
    if (state_ == State::NotStarted || (state_ == State::Ahead && ahead_.t_ms < floor_ms)) {
      if (samples_->seek(floor_ms)) {
        ahead_ = samples_->at();
        state_ = State::Ahead;
      } else {
        state_ = State::Exhausted;
      }
    }
    if (state_ != State::Ahead || ahead_.t_ms > at_ms) break;
    read_.clear();
    next_ = 0;
    if (samples_->read_until(read_to, read_)) {
      ahead_ = samples_->at();
    } else {
      state_ = State::Exhausted;
    }
  }
  if (newest_ && newest_->t_ms < floor_ms) newest_.reset();
  return newest_;
}

}  // namespace mc::query
