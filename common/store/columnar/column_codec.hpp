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

}  // namespace mc::columnar
