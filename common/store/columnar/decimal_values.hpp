// The decimal value payload (what follows the column header of
// column_codec.hpp): values that are exactly mantissa / 10^exponent, which
// most exporter values are (integer counters, gauges printed with a few
// digits), stored as small integer residuals. Private to columnar/.
//
// Values that are no decimal at the chosen exponent (NaN of any payload,
// StaleNaN among them, ±Inf, -0.0, a lone value with too many digits) are
// exceptions stored raw, so one stale marker does not spoil a column.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/util/byte_buffer.hpp"

namespace mc::columnar {

// Always applies (in the worst case every value is an exception); picks the
// exponent and the residual order that make the payload smallest.
void encode_decimal_values(std::span<const double> values, std::vector<uint8_t>& out);

// Reads `out.size()` values; false when the payload is short or malformed.
bool decode_decimal_values(ByteReader& reader, std::span<double> out);

}  // namespace mc::columnar
