// BitWriter: appends bit fields, most significant bit first, to a byte vector.
//
// The vector is the chunk's own storage: every call leaves the bytes complete
// (a partly used last byte has its unused low bits zero), so a reader may copy
// the vector between two writes and decode everything written so far.
//
// Thread-safety: none; the owner of the vector serialises access.
#pragma once

#include <cstdint>
#include <vector>

namespace mc::chunkenc {

class BitWriter {
 public:
  // `free_bits_in_last_byte` (0..7) says how much of bytes.back() is still
  // unused, for resuming a stream written earlier.
  explicit BitWriter(std::vector<uint8_t>* bytes, int free_bits_in_last_byte = 0)
      : bytes_(bytes), free_bits_(free_bits_in_last_byte) {}

  void write_bit(bool bit) {
    if (free_bits_ == 0) {
      bytes_->push_back(0);
      free_bits_ = 8;
    }
    --free_bits_;
    if (bit) bytes_->back() |= static_cast<uint8_t>(1u << free_bits_);
  }

  // Writes the low `count` bits of `value`. REQUIRES: 1 <= count <= 64.
  void write_bits(uint64_t value, int count) {
    while (count > 0) {
      if (free_bits_ == 0) {
        bytes_->push_back(0);
        free_bits_ = 8;
      }
      const int take = count < free_bits_ ? count : free_bits_;
      const uint64_t field = (value >> (count - take)) & ((uint64_t{1} << take) - 1);
      bytes_->back() |= static_cast<uint8_t>(field << (free_bits_ - take));
      free_bits_ -= take;
      count -= take;
    }
  }

  void write_byte(uint8_t byte) { write_bits(byte, 8); }

  int free_bits_in_last_byte() const { return free_bits_; }

 private:
  std::vector<uint8_t>* bytes_;
  int free_bits_;
};

}  // namespace mc::chunkenc
