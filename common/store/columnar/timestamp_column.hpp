// The payloads of the timestamp column encodings (what follows the column
// header of column_codec.hpp). Private to columnar/: the block writer uses
// column_codec.hpp, which picks among these.
//
// Timestamps are int64 milliseconds; every difference is taken modulo 2^64, so
// any int64 input round-trips (even decreasing), and no input is undefined
// behaviour in either direction.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/util/byte_buffer.hpp"

namespace mc::columnar {

// False (nothing appended) unless every step between neighbours is the same.
bool encode_constant_delta_timestamps(std::span<const int64_t> timestamps,
                                      std::vector<uint8_t>& out);
void encode_delta_of_delta_timestamps(std::span<const int64_t> timestamps,
                                      std::vector<uint8_t>& out);
void encode_grid_offset_timestamps(std::span<const int64_t> timestamps, std::vector<uint8_t>& out);

// Each reads `out.size()` timestamps; false when the payload is short or malformed.
bool decode_constant_delta_timestamps(ByteReader& reader, std::span<int64_t> out);
bool decode_delta_of_delta_timestamps(ByteReader& reader, std::span<int64_t> out);
bool decode_grid_offset_timestamps(ByteReader& reader, std::span<int64_t> out);

}  // namespace mc::columnar
