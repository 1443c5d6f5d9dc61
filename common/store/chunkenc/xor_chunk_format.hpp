// Constants of the Gorilla XOR chunk format, shared by its writer and reader so
// the two cannot drift apart. The format is described with a worked example at
// the top of xor_chunk.cpp. Constants only, so safe from any thread.
#pragma once

#include <cstdint>

namespace mc::chunkenc::xor_format {

// Delta-of-delta timestamp buckets after the second sample. A bucket is a
// prefix of 1-bits ended by a 0-bit (except the last), then a signed field of
// `value_bits`. Ranges as in Prometheus: a field of n bits holds
// [-(2^(n-1) - 1), 2^(n-1)], the extra positive value because regular scrapes
// drift forward more often than back.
struct DodBucket {
  int prefix_ones;  // number of leading 1-bits
  bool terminated;  // whether a 0-bit follows the ones
  int value_bits;
};
inline constexpr DodBucket kDodZero{0, true, 0};  // "0": dod == 0
inline constexpr DodBucket kDodBuckets[] = {
    {1, true, 14},   // "10"   + 14 bits
    {2, true, 17},   // "110"  + 17 bits
    {3, true, 20},   // "1110" + 20 bits
    {4, false, 64},  // "1111" + 64 bits, the raw two's complement dod
};

// Value XOR control bits.
inline constexpr int kLeadingZerosBits = 5;  // leading zeros, clamped to 31
inline constexpr int kMaxLeadingZeros = 31;
inline constexpr int kSignificantBitsBits = 6;  // 64 is written as 0
// Leading-zero sentinel: no XOR window has been written yet.
inline constexpr uint8_t kNoWindow = 0xff;

inline constexpr int kMaxVarintBytes = 10;

// Whether `dod` fits a signed field of `bits` bits with Prometheus's ranges.
constexpr bool fits_bits(int64_t dod, int bits) {
  const int64_t half = int64_t{1} << (bits - 1);
  return -(half - 1) <= dod && dod <= half;
}

}  // namespace mc::chunkenc::xor_format
