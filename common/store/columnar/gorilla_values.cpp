// Gorilla XOR values, as in Facebook's Gorilla paper and Prometheus's XOR chunk
// minus the timestamps. A bit stream, most significant bit first, zero-padded
// to a byte:
//
//   value 0      64 raw bits
//   value i > 0  x = bits(v_i) ^ bits(v_i-1)
//                "0"                     x == 0
//                "10" + window bits      x fits the previous window
//                "11" + 5 bits leading zeros (clamped to 31) + 6 bits significant
//                     bit count (64 written as 0) + the significant bits
//
// Worked example: 1.0 1.0 3.0, after the column header 11 03:
//   3F F0 00 00 00 00 00 00   1.0
//   61 33 FF C0               the bits
//     0                       same value
//     11 00001 001100         x = 0x7FF8000000000000: new window, 1 leading
//                             zero, 12 significant bits
//     1111 1111 1111          the 12 bits
//     000000                  padding
#include "common/store/columnar/gorilla_values.hpp"

#include <bit>

#include "common/store/chunkenc/bit_reader.hpp"
#include "common/store/chunkenc/bit_writer.hpp"

namespace mc::columnar {

namespace {

constexpr int kLeadingZerosBits = 5;
constexpr int kMaxLeadingZeros = 31;
constexpr int kSignificantBitsBits = 6;

}  // namespace

void encode_gorilla_values(std::span<const double> values, std::vector<uint8_t>& out) {
  if (values.empty()) return;
  chunkenc::BitWriter writer(&out);
  auto previous = std::bit_cast<uint64_t>(values[0]);
  writer.write_bits(previous, 64);
  int window_leading = -1;  // no window yet
  int window_trailing = 0;
  for (size_t i = 1; i < values.size(); ++i) {
    const auto current = std::bit_cast<uint64_t>(values[i]);
    const uint64_t x = current ^ previous;
    previous = current;
    if (x == 0) {
      writer.write_bit(false);
      continue;
    }
    int leading = std::countl_zero(x);
    const int trailing = std::countr_zero(x);
    if (leading > kMaxLeadingZeros) leading = kMaxLeadingZeros;
    if (window_leading >= 0 && leading >= window_leading && trailing >= window_trailing) {
      writer.write_bits(0b10, 2);
      writer.write_bits(x >> window_trailing, 64 - window_leading - window_trailing);
      continue;
    }
    const int significant = 64 - leading - trailing;
    writer.write_bits(0b11, 2);
    writer.write_bits(static_cast<uint64_t>(leading), kLeadingZerosBits);
    writer.write_bits(static_cast<uint64_t>(significant & 63), kSignificantBitsBits);
    writer.write_bits(x >> trailing, significant);
    window_leading = leading;
    window_trailing = trailing;
  }
}

bool decode_gorilla_values(ByteReader& reader, std::span<double> out) {
  if (out.empty()) return true;
  using chunkenc::BitReader;
  BitReader bits(reader.bytes(reader.remaining()));
  uint64_t previous = 0;
  if (!bits.read_bits(64, &previous)) return false;
  out[0] = std::bit_cast<double>(previous);
  int window_leading = -1;
  int window_significant = 0;
  constexpr int kHeaderBits = 1 + kLeadingZerosBits + kSignificantBitsBits;
  // A changed value's window bit, header and (when they fit) its bits come
  // from one look at the next 57 bits: the decode of a week of floats is most
  // of a long query, and a read per field costs a third more. An unchanged
  // value, one bit, is read as one.
  for (size_t i = 1; i < out.size(); ++i) {
    bool changed = false;
    if (!bits.read_bit(&changed)) return false;
    if (!changed) {
      out[i] = std::bit_cast<double>(previous);
      continue;
    }
    const size_t remaining = bits.remaining_bits();
    if (remaining == 0) return false;
    const uint64_t word = bits.peek_bits();
    int used = 1;
    if ((word >> 63) != 0) {
      if (remaining < kHeaderBits) return false;
      const int leading = static_cast<int>((word >> (64 - 1 - kLeadingZerosBits)) & 31);
      int significant = static_cast<int>((word >> (64 - kHeaderBits)) & 63);
      if (significant == 0) significant = 64;
      if (leading + significant > 64) return false;
      window_leading = leading;
      window_significant = significant;
      used = kHeaderBits;
    } else if (window_leading < 0) {
      return false;  // "10" before any window
    }
    if (remaining < static_cast<size_t>(used + window_significant)) return false;
    uint64_t x = 0;
    if (used + window_significant <= BitReader::kPeekedBits) {
      x = (word << used) >> (64 - window_significant);
      bits.skip_bits(static_cast<size_t>(used + window_significant));
    } else {
      bits.skip_bits(static_cast<size_t>(used));
      if (!bits.read_bits(window_significant, &x)) return false;
    }
    previous ^= x << (64 - window_leading - window_significant);
    out[i] = std::bit_cast<double>(previous);
  }
  // The stream is zero-padded to a byte; anything after that byte is not ours.
  return bits.remaining_bits() < 8;
}

}  // namespace mc::columnar
