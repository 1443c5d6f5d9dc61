// Timestamp column payloads. Worked example, timestamps 1000 2000 3005 4000
// (the column header 02 04 or 03 04 comes first, see column_codec.cpp):
//
//   constant delta (1)   does not apply: steps 1000 1005 995
//   delta of delta (2)   D0 0F     zigzag varint first = 1000
//                        D0 0F     zigzag varint first step = 1000
//                        05 54 C0  a block of width 5: zigzag dods 10 (+5) and
//                                  19 (-10): 01010 10011, zero-padded
//   grid offset (3)      D0 0F     zigzag varint first = 1000
//                        D0 0F     zigzag varint step = 1000, the mean step
//                                  (last - first) / (n - 1), rounded
//                        04 0A 00  a block of width 4: zigzag offsets from the
//                                  grid first + i * step: 0 10 0 (0 +5 0)
//
// Grid offsets suit scrape timestamps: a scheduler fires on a fixed grid and
// each scrape lands a few ms late, independently of the last, so the offset
// from the grid is one jitter while a delta of delta mixes three.
#include "common/store/columnar/timestamp_column.hpp"

#include <algorithm>

#include "common/store/columnar/bit_packing.hpp"

namespace mc::columnar {

namespace {

uint64_t bits(int64_t value) { return static_cast<uint64_t>(value); }
int64_t from_bits(uint64_t value) { return static_cast<int64_t>(value); }

// Mean step of the column, rounded toward the first step's sign; computed in
// 128 bits because last - first may not fit in int64.
int64_t mean_step(std::span<const int64_t> timestamps) {
  const __int128 span = static_cast<__int128>(timestamps.back()) - timestamps.front();
  const auto steps = static_cast<__int128>(timestamps.size() - 1);
  const __int128 half = span >= 0 ? steps / 2 : -(steps / 2);
  return static_cast<int64_t>((span + half) / steps);
}

}  // namespace

bool encode_constant_delta_timestamps(std::span<const int64_t> timestamps,
                                      std::vector<uint8_t>& out) {
  ByteWriter writer(out);
  if (timestamps.empty()) return true;
  if (timestamps.size() == 1) {
    writer.varint(timestamps[0]);
    return true;
  }
  const uint64_t step = bits(timestamps[1]) - bits(timestamps[0]);
  for (size_t i = 2; i < timestamps.size(); ++i) {
    if (bits(timestamps[i]) - bits(timestamps[i - 1]) != step) return false;
  }
  writer.varint(timestamps[0]);
  writer.varint(from_bits(step));
  return true;
}

void encode_delta_of_delta_timestamps(std::span<const int64_t> timestamps,
                                      std::vector<uint8_t>& out) {
  ByteWriter writer(out);
  if (timestamps.empty()) return;
  writer.varint(timestamps[0]);
  if (timestamps.size() == 1) return;
  uint64_t previous_step = bits(timestamps[1]) - bits(timestamps[0]);
  writer.varint(from_bits(previous_step));
  std::vector<uint64_t> dods;
  dods.reserve(timestamps.size() - 2);
  for (size_t i = 2; i < timestamps.size(); ++i) {
    const uint64_t step = bits(timestamps[i]) - bits(timestamps[i - 1]);
    dods.push_back(zigzag_encode(from_bits(step - previous_step)));
    previous_step = step;
  }
  pack_blocks(dods, out);
}

void encode_grid_offset_timestamps(std::span<const int64_t> timestamps, std::vector<uint8_t>& out) {
  ByteWriter writer(out);
  if (timestamps.empty()) return;
  writer.varint(timestamps[0]);
  if (timestamps.size() == 1) return;
  const int64_t step = mean_step(timestamps);
  writer.varint(step);
  std::vector<uint64_t> offsets;
  offsets.reserve(timestamps.size() - 1);
  uint64_t grid = bits(timestamps[0]);
  for (size_t i = 1; i < timestamps.size(); ++i) {
    grid += bits(step);
    offsets.push_back(zigzag_encode(from_bits(bits(timestamps[i]) - grid)));
  }
  pack_blocks(offsets, out);
}

bool decode_constant_delta_timestamps(ByteReader& reader, std::span<int64_t> out) {
  if (out.empty()) return true;
  uint64_t t = bits(reader.varint());
  const uint64_t step = out.size() > 1 ? bits(reader.varint()) : 0;
  if (!reader.ok()) return false;
  for (int64_t& timestamp : out) {
    timestamp = from_bits(t);
    t += step;
  }
  return true;
}

bool decode_delta_of_delta_timestamps(ByteReader& reader, std::span<int64_t> out) {
  if (out.empty()) return true;
  uint64_t t = bits(reader.varint());
  out[0] = from_bits(t);
  if (out.size() == 1) return reader.ok();
  uint64_t step = bits(reader.varint());
  if (!reader.ok()) return false;
  t += step;
  out[1] = from_bits(t);
  // Unpack the zigzag dods in place into out[2..], then integrate.
  auto rest = out.subspan(2);
  std::span<uint64_t> packed(reinterpret_cast<uint64_t*>(rest.data()), rest.size());
  if (!unpack_blocks(reader, rest.size(), packed)) return false;
  for (size_t i = 0; i < rest.size(); ++i) {
    step += bits(zigzag_decode(packed[i]));
    t += step;
    rest[i] = from_bits(t);
  }
  return true;
}

bool decode_grid_offset_timestamps(ByteReader& reader, std::span<int64_t> out) {
  if (out.empty()) return true;
  uint64_t grid = bits(reader.varint());
  out[0] = from_bits(grid);
  if (out.size() == 1) return reader.ok();
  const uint64_t step = bits(reader.varint());
  if (!reader.ok()) return false;
  auto rest = out.subspan(1);
  std::span<uint64_t> packed(reinterpret_cast<uint64_t*>(rest.data()), rest.size());
  if (!unpack_blocks(reader, rest.size(), packed)) return false;
  for (size_t i = 0; i < rest.size(); ++i) {
    grid += step;
    rest[i] = from_bits(grid + bits(zigzag_decode(packed[i])));
  }
  return true;
}

}  // namespace mc::columnar
