// BitWriter: appends bit fields, most significant bit first, to a byte vector.
//
// The vector is the chunk's own storage: every call leaves the bytes complete
// (a partly used last byte has its unused low bits zero), so a reader may copy
// the vector between two writes and decode everything written so far.
// BasicBitWriter writes to any storage with size(), resize(), back() and
// data() (the head's open chunk keeps a smaller buffer than a std::vector).
//
// Thread-safety: none; the owner of the vector serialises access.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mc::chunkenc {

template <typename Bytes>
class BasicBitWriter {
 public:
  // `free_bits_in_last_byte` (0..7) says how much of bytes.back() is still
  // unused, for resuming a stream written earlier.
  explicit BasicBitWriter(Bytes* bytes, int free_bits_in_last_byte = 0)
      : bytes_(bytes), free_bits_(free_bits_in_last_byte) {}

  void write_bit(bool bit) { write_bits(bit ? 1 : 0, 1); }

  // Writes the low `count` bits of `value`. REQUIRES: 1 <= count <= 64.
  // Fills the last byte's free bits, then grows the vector once for the rest;
  // a field costs a few shifts, not a loop over its bytes.
  void write_bits(uint64_t value, int count) {
    if (count < 64) value &= (uint64_t{1} << count) - 1;
    if (count <= free_bits_) {
      free_bits_ -= count;
      bytes_->back() |= static_cast<uint8_t>(value << free_bits_);
      return;
    }
    if (free_bits_ > 0) {
      count -= free_bits_;
      bytes_->back() |= static_cast<uint8_t>(value >> count);
      value &= (uint64_t{1} << count) - 1;  // count < 64 here
    }
    // count >= 1 bits are left; they start a new byte, most significant first.
    const int new_bytes = (count + 7) / 8;
    free_bits_ = new_bytes * 8 - count;
    const size_t start = bytes_->size();
    bytes_->resize(start + static_cast<size_t>(new_bytes));
    uint8_t* out = bytes_->data() + start;
    const uint64_t aligned = value << free_bits_;
    for (int i = 0; i < new_bytes; ++i) {
      out[i] = static_cast<uint8_t>(aligned >> (8 * (new_bytes - 1 - i)));
    }
  }

  void write_byte(uint8_t byte) { write_bits(byte, 8); }

  int free_bits_in_last_byte() const { return free_bits_; }

 private:
  Bytes* bytes_;
  int free_bits_;
};

using BitWriter = BasicBitWriter<std::vector<uint8_t>>;

}  // namespace mc::chunkenc
