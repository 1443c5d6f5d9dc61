#include "common/query/lookback_cursor.hpp"

namespace mc::query {

void LookbackCursor::advance() {
  if (samples_->next()) {
    ahead_ = samples_->at();
  } else {
    state_ = State::Exhausted;
  }
}

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
  while (state_ == State::Ahead && ahead_.t_ms <= at_ms) {
    newest_ = ahead_;
    advance();
  }
  return newest_;
}

}  // namespace mc::query
