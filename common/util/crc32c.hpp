// CRC32C (Castagnoli), the checksum of every WAL record, block chunk group and
// index section. Castagnoli rather than zlib's CRC32 because x86-64 computes it
// in hardware (SSE4.2), which makes checking every byte on read nearly free.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace mc {

// The CRC32C of `bytes`, continuing from `crc` (0 to start). Chaining calls
// over consecutive pieces gives the CRC of their concatenation.
uint32_t crc32c(std::span<const uint8_t> bytes, uint32_t crc = 0);

}  // namespace mc
