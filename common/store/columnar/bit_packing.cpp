#include "common/store/columnar/bit_packing.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include "common/store/columnar/column_format.hpp"

namespace mc::columnar {

namespace {

using column_format::kBlockValues;

int bit_width_of(std::span<const uint64_t> block) {
  uint64_t all = 0;
  for (const uint64_t value : block) all |= value;
  return static_cast<int>(std::bit_width(all));
}

size_t block_bytes(size_t count, int width) { return (count * static_cast<size_t>(width) + 7) / 8; }

void pack_block(std::span<const uint64_t> block, int width, uint8_t* out) {
  // A 128-bit accumulator would be simpler; two words keep it portable.
  uint64_t pending = 0;  // bits not yet written, right-aligned
  int pending_bits = 0;
  for (const uint64_t value : block) {
    int left = width;
    while (left > 0) {
      const int take = std::min(left, 64 - pending_bits);
      const uint64_t part =
          (value >> (left - take)) & (take == 64 ? ~uint64_t{0} : (uint64_t{1} << take) - 1);
      pending = take == 64 ? part : (pending << take) | part;
      pending_bits += take;
      left -= take;
      if (pending_bits == 64) {
        for (int i = 7; i >= 0; --i) *out++ = static_cast<uint8_t>(pending >> (8 * i));
        pending = 0;
        pending_bits = 0;
      }
    }
  }
  while (pending_bits >= 8) {
    pending_bits -= 8;
    *out++ = static_cast<uint8_t>(pending >> pending_bits);
  }
  if (pending_bits > 0) *out = static_cast<uint8_t>(pending << (8 - pending_bits));
}

// Loads 8 bytes big-endian at `bytes`, fewer (zero-filled) near the end.
// Every value of a column comes through here: away from the end it is one
// unaligned load and a byte swap, not a loop over the bytes.
uint64_t load_big_endian(const uint8_t* bytes, size_t available) {
  if (available >= 8) {
    uint64_t word;
    std::memcpy(&word, bytes, sizeof word);
    if constexpr (std::endian::native == std::endian::little) word = __builtin_bswap64(word);
    return word;
  }
  uint64_t word = 0;
  for (size_t i = 0; i < available; ++i) word |= static_cast<uint64_t>(bytes[i]) << (56 - 8 * i);
  return word;
}

void unpack_block(std::span<const uint8_t> bytes, int width, std::span<uint64_t> out) {
  if (width == 0) {
    std::fill(out.begin(), out.end(), 0);
    return;
  }
  const uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
  const auto bit_width = static_cast<size_t>(width);
  size_t bit = 0;
  size_t i = 0;
  // Widths up to 57 bits never spill out of the 8 bytes loaded at the value's
  // first byte; while 8 bytes remain there, a value is a load, a shift and a
  // mask, with no branch.
  if (width <= 57) {
    const size_t whole_words =
        bytes.size() >= 8 ? bytes.size() - 7 : 0;  // first bytes with 8 after
    for (; i < out.size() && (bit >> 3) < whole_words; ++i, bit += bit_width) {
      uint64_t word;
      std::memcpy(&word, bytes.data() + (bit >> 3), sizeof word);
      if constexpr (std::endian::native == std::endian::little) word = __builtin_bswap64(word);
      out[i] = (word >> (64 - static_cast<int>(bit & 7) - width)) & mask;
    }
  }
  for (; i < out.size(); ++i, bit += bit_width) {
    const size_t byte = bit >> 3;
    const int shift = static_cast<int>(bit & 7);
    const uint64_t word = load_big_endian(bytes.data() + byte, bytes.size() - byte);
    if (shift + width <= 64) {
      out[i] = (word >> (64 - shift - width)) & mask;
    } else {
      // The value spills into a ninth byte (widths above 56 only).
      const uint64_t next = bytes[byte + 8];
      out[i] = ((word << shift) >> (64 - width)) | (next >> (8 - (shift + width - 64)));
    }
  }
}

}  // namespace

size_t packed_size(std::span<const uint64_t> values) {
  size_t size = 0;
  for (size_t start = 0; start < values.size(); start += kBlockValues) {
    const auto block = values.subspan(start, std::min(kBlockValues, values.size() - start));
    size += 1 + block_bytes(block.size(), bit_width_of(block));
  }
  return size;
}

void pack_blocks(std::span<const uint64_t> values, std::vector<uint8_t>& out) {
  for (size_t start = 0; start < values.size(); start += kBlockValues) {
    const auto block = values.subspan(start, std::min(kBlockValues, values.size() - start));
    const int width = bit_width_of(block);
    out.push_back(static_cast<uint8_t>(width));
    const size_t offset = out.size();
    out.resize(offset + block_bytes(block.size(), width));
    if (width > 0) pack_block(block, width, out.data() + offset);
  }
}

bool unpack_blocks(ByteReader& reader, size_t count, std::span<uint64_t> out) {
  for (size_t start = 0; start < count; start += kBlockValues) {
    const size_t block_count = std::min(kBlockValues, count - start);
    const int width = reader.u8();
    if (!reader.ok() || width > column_format::kMaxBitWidth) return false;
    const auto bytes = reader.bytes(block_bytes(block_count, width));
    if (!reader.ok()) return false;
    unpack_block(bytes, width, out.subspan(start, block_count));
  }
  return true;
}

}  // namespace mc::columnar
