// XorEncoder: the state and the bit writing of the Gorilla XOR encoder (the
// format is in xor_chunk.cpp), apart from where the bytes live, so that the
// stand-alone XorChunk's appender and the head's OpenXorChunk share one
// encoder: the latter keeps it inline instead of as a heap object.
//
// Thread-safety: none; the owner of the bytes serialises access.
#pragma once

#include <bit>
#include <cassert>
#include <cstdint>

#include "common/store/chunkenc/bit_writer.hpp"
#include "common/store/chunkenc/xor_chunk_format.hpp"

namespace mc::chunkenc {

class XorEncoder {
 public:
  static constexpr int kMaxSamples = 0xffff;  // the header's count is 16 bits

  // Resumes after `count` samples already in the bytes, the last (t, v) with
  // the decoder's delta and value window; `free_bits` (0..7) of the last byte
  // are unused.
  void restore(int count, int64_t t, uint64_t t_delta, double v, uint8_t leading, uint8_t trailing,
               int free_bits) {
    count_ = static_cast<uint16_t>(count);
    t_ = t;
    t_delta_ = t_delta;
    v_bits_ = std::bit_cast<uint64_t>(v);
    leading_ = leading;
    trailing_ = trailing;
    free_bits_ = static_cast<uint8_t>(free_bits);
  }

  // Appends a sample to `bytes` (REQUIRES: they hold the chunk's header and
  // the samples this encoder wrote or was restored to; fewer than kMaxSamples)
  // and writes the new count into the header. `Bytes` as BasicBitWriter's.
  template <typename Bytes>
  void append(Bytes* bytes, int64_t t_ms, double v) {
    assert(count_ < kMaxSamples && "append to a full chunk");
    BasicBitWriter<Bytes> writer(bytes, free_bits_);
    const auto v_bits = std::bit_cast<uint64_t>(v);
    // Unsigned arithmetic: t_ms - t_ may exceed int64 (INT64_MIN to INT64_MAX),
    // and deltas and delta-of-deltas wrap modulo 2^64; the reader undoes the
    // same wrap-around, so every int64 sequence round-trips exactly.
    const uint64_t delta = static_cast<uint64_t>(t_ms) - static_cast<uint64_t>(t_);
    if (count_ == 0) {
      write_uvarint(writer, zigzag(t_ms));
      writer.write_bits(v_bits, 64);
    } else if (count_ == 1) {
      write_uvarint(writer, delta);
      write_value(writer, v_bits);
      t_delta_ = delta;
    } else {
      write_delta_of_delta(writer, static_cast<int64_t>(delta - t_delta_));
      write_value(writer, v_bits);
      t_delta_ = delta;
    }
    t_ = t_ms;
    v_bits_ = v_bits;
    ++count_;
    free_bits_ = static_cast<uint8_t>(writer.free_bits_in_last_byte());
    uint8_t* header = bytes->data();
    header[1] = static_cast<uint8_t>(count_ >> 8);
    header[2] = static_cast<uint8_t>(count_);
  }

  int count() const { return count_; }
  // REQUIRES: count() > 0
  int64_t last_t() const { return t_; }
  double last_v() const { return std::bit_cast<double>(v_bits_); }

  static uint64_t zigzag(int64_t value) {
    return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  }

 private:
  template <typename Writer>
  static void write_uvarint(Writer& writer, uint64_t value) {
    while (value >= 0x80) {
      writer.write_byte(static_cast<uint8_t>(value) | 0x80);
      value >>= 7;
    }
    writer.write_byte(static_cast<uint8_t>(value));
  }

  template <typename Writer>
  static void write_delta_of_delta(Writer& writer, int64_t dod) {
    if (dod == 0) {
      writer.write_bit(false);
      return;
    }
    for (const auto& bucket : xor_format::kDodBuckets) {
      if (bucket.terminated && !xor_format::fits_bits(dod, bucket.value_bits)) continue;
      // Prefix of ones plus the terminating zero, e.g. "110" for 17 bits.
      const int prefix_bits = bucket.prefix_ones + (bucket.terminated ? 1 : 0);
      const uint64_t prefix = ((uint64_t{1} << bucket.prefix_ones) - 1)
                              << (bucket.terminated ? 1 : 0);
      writer.write_bits(prefix, prefix_bits);
      writer.write_bits(static_cast<uint64_t>(dod), bucket.value_bits);
      return;
    }
  }

  template <typename Writer>
  void write_value(Writer& writer, uint64_t v_bits) {
    const uint64_t xored = v_bits ^ v_bits_;
    if (xored == 0) {
      writer.write_bit(false);
      return;
    }
    // Control bits and short fields go out in one write_bits call each.
    int leading = std::countl_zero(xored);
    const int trailing = std::countr_zero(xored);
    if (leading > xor_format::kMaxLeadingZeros) leading = xor_format::kMaxLeadingZeros;
    if (leading_ != xor_format::kNoWindow && leading >= leading_ && trailing >= trailing_) {
      // "10": the change fits the previous window; only its bits follow.
      const int window = 64 - leading_ - trailing_;
      if (window <= 62) {
        writer.write_bits((uint64_t{0b10} << window) | (xored >> trailing_), window + 2);
      } else {
        writer.write_bits(0b10, 2);
        writer.write_bits(xored >> trailing_, window);
      }
      return;
    }
    leading_ = static_cast<uint8_t>(leading);
    trailing_ = static_cast<uint8_t>(trailing);
    const int significant = 64 - leading - trailing;
    // "11", the leading zeros, the significant bit count (64 does not fit 6
    // bits; 0 stands for it, as 0 cannot occur), then the significant bits.
    constexpr int kHeaderBits =
        2 + xor_format::kLeadingZerosBits + xor_format::kSignificantBitsBits;
    const uint64_t header =
        (((uint64_t{0b11} << xor_format::kLeadingZerosBits) | static_cast<uint64_t>(leading))
         << xor_format::kSignificantBitsBits) |
        static_cast<uint64_t>(significant & 63);
    writer.write_bits(header, kHeaderBits);
    writer.write_bits(xored >> trailing, significant);
  }

  int64_t t_ = 0;
  uint64_t t_delta_ = 0;
  uint64_t v_bits_ = 0;
  uint16_t count_ = 0;
  uint8_t leading_ = xor_format::kNoWindow;
  uint8_t trailing_ = 0;
  uint8_t free_bits_ = 0;
};

}  // namespace mc::chunkenc
