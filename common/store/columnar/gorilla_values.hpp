// The Gorilla XOR value payload (what follows the column header of
// column_codec.hpp): the fallback for values that are neither constant nor
// decimals, e.g. ratios computed in floating point. Private to columnar/.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/util/byte_buffer.hpp"

namespace mc::columnar {

void encode_gorilla_values(std::span<const double> values, std::vector<uint8_t>& out);

// Reads `out.size()` values and consumes the rest of `reader` (the bit stream
// ends the column); false when the bit stream is short or malformed.
bool decode_gorilla_values(ByteReader& reader, std::span<double> out);

}  // namespace mc::columnar
