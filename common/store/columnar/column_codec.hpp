// Column codecs of the block store: one column is the timestamps, or one kind
// of value, of one series over one chunk of a block. Unlike a head chunk
// (chunkenc/, which interleaves timestamps and values and must accept appends),
// a column is encoded once, when a block is cut, with every sample known, so
// the encoder tries each encoding that applies and keeps the smallest.
//
// A column is a self-describing byte string:
//   byte 0       ColumnEncoding
//   uvarint      sample count
//   payload      the encoding's own (docs/storage-format.md)
// so a reader needs nothing but the bytes. Decoders read untrusted bytes (a
// damaged file, a fuzzer) and fail with a Status, never read out of bounds.
//
// Values round-trip bit for bit: every NaN payload (StaleNaN), ±Inf, -0.0.
//
// Encoders REQUIRE at most column_format::kMaxSamples (2^24) samples;
// decoders refuse a larger count before allocating.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/util/status.hpp"

namespace mc::columnar {

enum class ColumnEncoding : uint8_t {
  // Timestamps.
  timestamp_constant_delta = 1,  // first, delta: every step the same
  timestamp_delta_of_delta = 2,  // first, first delta, bit-packed zigzag deltas of deltas
  timestamp_grid_offset = 3,     // first, mean step, bit-packed zigzag offsets from that grid
  // Values.
  value_constant = 16,     // one value, every sample
  value_gorilla_xor = 17,  // Gorilla XOR of the value bits
  value_decimal = 18,      // integer mantissas at one power of ten, then delta and bit packing
};

// Appends the column of `timestamps` (non-decreasing) to `out`.
void encode_timestamps(std::span<const int64_t> timestamps, std::vector<uint8_t>& out);
// Appends the column of `values` to `out`.
void encode_values(std::span<const double> values, std::vector<uint8_t>& out);

// Appends the column's samples to `out`. Fails on a truncated or malformed
// column, or one whose encoding is not of the right kind.
Status decode_timestamps(std::span<const uint8_t> column, std::vector<int64_t>& out);
Status decode_values(std::span<const uint8_t> column, std::vector<double>& out);

// Appends the column of `timestamps` / `values` in exactly `encoding`, for tests
// and measurements. False (nothing appended) when the encoding cannot hold the
// samples (constant delta with unequal steps, constant with differing values)
// or is not of the right kind. The decimal encoding holds anything: what is no
// decimal becomes an exception.
bool encode_timestamps_as(ColumnEncoding encoding, std::span<const int64_t> timestamps,
                          std::vector<uint8_t>& out);
bool encode_values_as(ColumnEncoding encoding, std::span<const double> values,
                      std::vector<uint8_t>& out);

// What a column header says, without decoding the payload (for statistics).
struct ColumnDescription {
  ColumnEncoding encoding{};
  uint64_t count = 0;
};
Result<ColumnDescription> describe_column(std::span<const uint8_t> column);

// "timestamp_constant_delta", ...; "unknown" for a byte that is no encoding.
const char* column_encoding_name(ColumnEncoding encoding);

// Every encoding of each kind, in enum order (for tests and statistics).
inline constexpr ColumnEncoding kTimestampEncodings[] = {ColumnEncoding::timestamp_constant_delta,
                                                         ColumnEncoding::timestamp_delta_of_delta,
                                                         ColumnEncoding::timestamp_grid_offset};
inline constexpr ColumnEncoding kValueEncodings[] = {ColumnEncoding::value_constant,
                                                     ColumnEncoding::value_gorilla_xor,
                                                     ColumnEncoding::value_decimal};

}  // namespace mc::columnar
