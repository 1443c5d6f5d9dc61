// FuzzInput: carves a fuzzer's byte string into the typed pieces a structured
// target needs (a selector byte, a length, a double's bits), never failing:
// past the end every read returns zero or an empty span, so every byte string
// is a valid input and libFuzzer's mutations stay meaningful.
//
// Header-only, used by the targets in tests/fuzz.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace mc::fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : bytes_(data, size) {}

  bool empty() const { return position_ >= bytes_.size(); }
  size_t remaining() const { return bytes_.size() - position_; }

  uint8_t byte() {
    if (empty()) return 0;
    return bytes_[position_++];
  }
  uint64_t u64() {
    uint64_t value = 0;
    const auto piece = take(sizeof(value));
    // memcpy with a null source is undefined even for zero bytes, and an empty
    // input's span has a null data().
    if (!piece.empty()) std::memcpy(&value, piece.data(), piece.size());
    return value;
  }
  double f64() {
    const uint64_t bits = u64();
    double value;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
  }
  // Up to `n` bytes (fewer at the end).
  std::span<const uint8_t> take(size_t n) {
    n = n < remaining() ? n : remaining();
    const auto piece = bytes_.subspan(position_, n);
    position_ += n;
    return piece;
  }
  // A piece whose length is the next byte pair (little-endian), clipped.
  std::span<const uint8_t> sized_piece() {
    const size_t n = byte() | (static_cast<size_t>(byte()) << 8);
    return take(n);
  }
  std::span<const uint8_t> rest() { return take(remaining()); }

  static std::string_view as_text(std::span<const uint8_t> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }

 private:
  std::span<const uint8_t> bytes_;
  size_t position_ = 0;
};

}  // namespace mc::fuzz
