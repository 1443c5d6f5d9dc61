// Bit packing of unsigned integers in blocks, the common tail of the delta
// timestamp and decimal value columns.
//
// A packed stream of n values is ceil(n / kBlockValues) blocks, each
//   u8        bit width w (0..64), the width of the block's largest value
//   bytes     the block's values, w bits each, most significant bit first,
//             zero-padded to a whole byte
// so a block of equal-zero values (a steady counter, an unchanged gauge) costs
// one byte, and a block starts byte-aligned, which keeps unpacking simple.
// The count is not stored: the column header carries it.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/util/byte_buffer.hpp"

namespace mc::columnar {

// Bytes that pack_blocks would append for `values`.
size_t packed_size(std::span<const uint64_t> values);

// Appends the packed stream of `values` to `out`.
void pack_blocks(std::span<const uint64_t> values, std::vector<uint8_t>& out);

// Reads the packed stream of `count` values from `reader` into `out[0..count)`.
// False (and `reader` failed) when the bytes are too few or a width exceeds 64.
// REQUIRES: out.size() >= count.
bool unpack_blocks(ByteReader& reader, size_t count, std::span<uint64_t> out);

}  // namespace mc::columnar
