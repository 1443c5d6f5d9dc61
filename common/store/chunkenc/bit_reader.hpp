// BitReader: reads bit fields, most significant bit first, from a byte span,
// the counterpart of BitWriter.
//
// Every read checks the remaining length first and fails (returns false)
// instead of reading past the end, so a truncated or corrupt chunk is an error
// for the caller to report, never undefined behaviour.
//
// Thread-safety: none; the bytes must stay alive and unchanged while reading.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace mc::chunkenc {

class BitReader {
 public:
  BitReader() = default;
  explicit BitReader(std::span<const uint8_t> bytes, size_t start_bit = 0)
      : bytes_(bytes), position_(start_bit) {}

  size_t position() const { return position_; }
  size_t remaining_bits() const { return bytes_.size() * 8 - position_; }

  bool read_bit(bool* bit) {
    if (position_ >= bytes_.size() * 8) return false;
    *bit = ((bytes_[position_ >> 3] >> (7 - (position_ & 7))) & 1) != 0;
    ++position_;
    return true;
  }

  // Reads `count` bits into the low bits of *value. REQUIRES: 1 <= count <= 64.
  bool read_bits(int count, uint64_t* value) {
    if (static_cast<size_t>(count) > remaining_bits()) return false;
    uint64_t result = 0;
    while (count > 0) {
      const int available = 8 - static_cast<int>(position_ & 7);
      const int take = count < available ? count : available;
      const uint64_t byte = bytes_[position_ >> 3];
      result = (result << take) | ((byte >> (available - take)) & ((uint64_t{1} << take) - 1));
      position_ += static_cast<size_t>(take);
      count -= take;
    }
    *value = result;
    return true;
  }

  bool read_byte(uint8_t* byte) {
    uint64_t value = 0;
    if (!read_bits(8, &value)) return false;
    *byte = static_cast<uint8_t>(value);
    return true;
  }

 private:
  std::span<const uint8_t> bytes_;
  size_t position_ = 0;
};

}  // namespace mc::chunkenc
