// Constants of the column format, shared by the column encoders and decoders so
// the two cannot drift apart. The byte layout of each encoding is written down
// at the top of its .cpp (timestamp_column.cpp, gorilla_values.cpp,
// decimal_values.cpp, column_codec.cpp). Constants only, so safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mc::columnar::column_format {

// Bit-packed streams are cut into blocks of this many values, each with its own
// bit width, so one outlier widens one block only. 64 measured smallest on
// real-1s.om (bench/column_bench.cpp, bytes/sample of values and of per-series
// timestamps): 64: 0.258 and 0.105; 128: 0.261 and 0.154; 256: 0.264 and 0.266.
// Scrape jitter has rare outliers, and a wider block lets each widen more values.
inline constexpr size_t kBlockValues = 64;
inline constexpr int kMaxBitWidth = 64;

// A decoder refuses a count above this before allocating: a lying count in a
// damaged column must not become a huge allocation. A block holds far fewer.
inline constexpr uint64_t kMaxSamples = uint64_t{1} << 24;

// Decimal values: mantissa / 10^exponent, where 10^exponent is exact as a
// double (up to 10^22) and mantissas are exact as doubles (|m| <= 2^53).
inline constexpr int kMaxDecimalExponent = 22;
inline constexpr int64_t kMaxExactMantissa = int64_t{1} << 53;

}  // namespace mc::columnar::column_format
