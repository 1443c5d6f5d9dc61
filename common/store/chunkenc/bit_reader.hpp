// BitReader: reads bit fields, most significant bit first, from a byte span,
// the counterpart of BitWriter.
//
// Every read checks the remaining length first and fails (returns false)
// instead of reading past the end, so a truncated or corrupt chunk is an error
// for the caller to report, never undefined behaviour.
//
// Thread-safety: none; the bytes must stay alive and unchanged while reading.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
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
    const size_t byte = position_ >> 3;
    const int offset = static_cast<int>(position_ & 7);
    // Decoding a block's values is most of a long query's time: one 8-byte
    // load serves any field that fits in it, instead of a loop per byte.
    if (count <= 64 - offset && byte + 8 <= bytes_.size()) {
      *value = (load_big_endian(bytes_.data() + byte) << offset) >> (64 - count);
      position_ += static_cast<size_t>(count);
      return true;
    }
    uint64_t result = 0;
    while (count > 0) {
      const int available = 8 - static_cast<int>(position_ & 7);
      const int take = count < available ? count : available;
      const uint64_t byte_value = bytes_[position_ >> 3];
      result =
          (result << take) | ((byte_value >> (available - take)) & ((uint64_t{1} << take) - 1));
      position_ += static_cast<size_t>(take);
      count -= take;
    }
    *value = result;
    return true;
  }

  // The next 64 bits, most significant first, for a decoder that looks at a
  // field's tag and its payload before it consumes them. At least
  // min(57, remaining_bits()) of them are the stream's; the rest are zero.
  uint64_t peek_bits() const {
    const size_t byte = position_ >> 3;
    uint64_t word = 0;
    if (byte + 8 <= bytes_.size()) {
      word = load_big_endian(bytes_.data() + byte);
    } else {
      for (size_t k = 0; byte + k < bytes_.size(); ++k)
        word |= uint64_t{bytes_[byte + k]} << (56 - 8 * k);
    }
    return word << (position_ & 7);
  }
  static constexpr int kPeekedBits = 57;

  // REQUIRES: count <= remaining_bits().
  void skip_bits(size_t count) { position_ += count; }

  bool read_byte(uint8_t* byte) {
    uint64_t value = 0;
    if (!read_bits(8, &value)) return false;
    *byte = static_cast<uint8_t>(value);
    return true;
  }

 private:
  static uint64_t load_big_endian(const uint8_t* bytes) {
    uint64_t word = 0;
    std::memcpy(&word, bytes, sizeof word);
    if constexpr (std::endian::native == std::endian::little) word = __builtin_bswap64(word);
    return word;
  }

  std::span<const uint8_t> bytes_;
  size_t position_ = 0;
};

}  // namespace mc::chunkenc
