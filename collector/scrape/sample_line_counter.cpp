#include "collector/scrape/sample_line_counter.hpp"

#include <cstring>

namespace mc {

namespace {

bool can_start_metric_name(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

// The offset of the first of `a` or `b` in `text` at or after `from`; text.size() when none.
size_t find_either(std::string_view text, size_t from, char a, char b) {
  for (size_t i = from; i < text.size(); ++i) {
    if (text[i] == a || text[i] == b) return i;
  }
  return text.size();
}

}  // namespace

uint64_t count_newlines(std::string_view text) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  uint64_t count = 0;
  size_t at = 0;
  // Eight bytes at a time: a byte of `word ^ newlines` is zero exactly where
  // the text has '\n'; the add-and-mask test sets the top bit of each zero
  // byte without carries from its neighbours. Those bits shifted down are
  // eight 0-or-1 bytes, and multiplying by kOnes sums them into the top byte:
  // std::popcount would be a call into libgcc on the baseline x86-64 target
  // (no POPCNT instruction), 2.5% of the daemon's CPU in a scrape farm.
  for (; at + 8 <= text.size(); at += 8) {
    uint64_t word = 0;
    std::memcpy(&word, text.data() + at, 8);
    const uint64_t x = word ^ (kOnes * '\n');
    const uint64_t zero_bytes = ~(((x & kLow7) + kLow7) | x | kLow7);
    count += ((zero_bytes >> 7) * kOnes) >> 56;
  }
  for (; at < text.size(); ++at) count += text[at] == '\n' ? 1 : 0;
  return count;
}

void SampleLineCounter::reset() {
  state_ = State::line_start;
  count_ = 0;
}

void SampleLineCounter::add(std::string_view piece) {
  size_t at = 0;
  while (at < piece.size()) {
    switch (state_) {
      case State::line_start: {
        const char c = piece[at++];
        if (c == ' ' || c == '\t' || c == '\n') break;
        if (can_start_metric_name(c)) {
          ++count_;
          state_ = State::in_sample_line;
        } else {
          state_ = State::in_other_line;
        }
        break;
      }
      case State::in_other_line: {
        // Most of a body is skipped here or in a sample line: memchr is the fast path.
        const void* newline = std::memchr(piece.data() + at, '\n', piece.size() - at);
        if (newline == nullptr) return;
        at = static_cast<size_t>(static_cast<const char*>(newline) - piece.data()) + 1;
        state_ = State::line_start;
        break;
      }
      case State::in_sample_line:
        at = find_either(piece, at, '\n', '"');
        if (at == piece.size()) return;
        state_ = piece[at++] == '\n' ? State::line_start : State::in_label_value;
        break;
      case State::in_label_value:
        at = find_either(piece, at, '"', '\\');
        if (at == piece.size()) return;
        state_ = piece[at++] == '"' ? State::in_sample_line : State::after_backslash;
        break;
      case State::after_backslash:
        ++at;
        state_ = State::in_label_value;
        break;
    }
  }
}

}  // namespace mc
