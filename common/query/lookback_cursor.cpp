#include "common/query/lookback_cursor.hpp"

namespace mc::query {

std::optional<Sample> LookbackCursor::newest(int64_t floor_ms, int64_t at_ms) {
  if (newest_ && newest_->t_ms < floor_ms) newest_.reset();
  // Samples before the floor cannot matter any more: skip them in the store.
  if (state_ == State::NotStarted || (state_ == State::Ahead && ahead_.t_ms < floor_ms)) {
    if (samples_->seek(floor_ms)) {
      ahead_ = samples_->at();
      state_ = State::Ahead;
    } else {
      state_ = State::Exhausted;
    }
  }
  if (state_ == State::Ahead && ahead_.t_ms <= at_ms) {
    // The samples up to at_ms in one call, not two virtual calls per sample
    // through the merge of a week's blocks (a fifth of a 7 d gauge sum's
    // CPU walked them one at a time): only the newest of them is kept.
    read_.clear();
    if (samples_->read_until(at_ms, read_)) {
      ahead_ = samples_->at();
    } else {
      state_ = State::Exhausted;
    }
    newest_ = read_.back();
  }
  return newest_;
}

}  // namespace mc::query
