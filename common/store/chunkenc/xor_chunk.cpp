// The Gorilla XOR chunk format (encoding byte 1).
//
// Layout, bit-packed most significant bit first:
//
//   byte 0       encoding = 0x01
//   bytes 1-2    number of samples, big-endian uint16
//   sample 0     t as a zigzag varint (Go binary.PutVarint), v as 64 raw bits
//   sample 1     t - t0 as a uvarint, then v as an XOR field
//   sample n>=2  delta-of-delta of t as a bucket, then v as an XOR field
//
//   dod bucket   "0" dod == 0 | "10" + 14 bits | "110" + 17 bits | "1110" + 20 bits
//                | "1111" + 64 bits (ranges in xor_chunk_format.hpp)
//   XOR field    x = bits(v) ^ bits(previous v)
//                "0"                      x == 0, same value
//                "10" + window bits       x fits the previous window (its leading
//                                         and trailing zeros are at least as many)
//                "11" + 5 bits leading zeros (clamped to 31) + 6 bits significant
//                     bit count (64 written as 0) + the significant bits
//
// After the header the bytes equal Prometheus's XOR chunk (tsdb/chunkenc/xor.go)
// after its 2-byte count, so converting chunks either way is a header swap.
//
// Deltas are computed in uint64 and wrap modulo 2^64; the decoder adds them back
// with the same wrap-around, so any int64 timestamps round-trip (the head only
// ever appends increasing ones). Values round-trip bit for bit: NaN payloads,
// StaleNaN (0x7ff0000000000002), -0.0, infinities and denormals are only bits.
//
// Worked example: (t=1000, v=1.0) (2000, 1.0) (3000, 3.0) (4001, 3.0), 21 bytes:
//
//   01                       encoding xor_gorilla
//   00 04                    4 samples
//   D0 0F                    zigzag(1000) = 2000 as a varint
//   3F F0 00 00 00 00 00 00  1.0
//   E8 07                    t1 - t0 = 1000 as a uvarint
//   30 99 FF F0 00 20        the bit stream below, zero-padded to a byte
//
//   0                        v1: 1.0 ^ 1.0 == 0, same value
//   0                        t2: delta 1000, dod 0
//   1 1 00001 001100         v2: 1.0 ^ 3.0 = 0x7FF8000000000000, new window:
//                                1 leading zero, 12 significant bits
//   111111111111                 the 12 bits (x >> 51 trailing zeros)
//   10 00000000000001        t3: delta 1001, dod +1 in the 14-bit bucket
//   0                        v3: same value
//   0000                     padding
#include "common/store/chunkenc/xor_chunk.hpp"

#include <bit>
#include <cassert>

#include <fmt/format.h>

#include "common/store/chunkenc/bit_writer.hpp"
#include "common/store/chunkenc/xor_chunk_format.hpp"

namespace mc::chunkenc {

namespace {

uint64_t zigzag(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}

int64_t unzigzag(uint64_t value) {
  return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
}

void write_uvarint(BitWriter& writer, uint64_t value) {
  while (value >= 0x80) {
    writer.write_byte(static_cast<uint8_t>(value) | 0x80);
    value >>= 7;
  }
  writer.write_byte(static_cast<uint8_t>(value));
}

// Go's binary.Uvarint rules: at most 10 bytes, the 10th may only be 0 or 1.
bool read_uvarint(BitReader& reader, uint64_t* value) {
  uint64_t result = 0;
  for (int i = 0; i < xor_format::kMaxVarintBytes; ++i) {
    uint8_t byte = 0;
    if (!reader.read_byte(&byte)) return false;
    if (i == xor_format::kMaxVarintBytes - 1 && byte > 1) return false;
    result |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if (byte < 0x80) {
      *value = result;
      return true;
    }
  }
  return false;
}

void write_sample_count(std::vector<uint8_t>& bytes, int count) {
  bytes[1] = static_cast<uint8_t>(count >> 8);
  bytes[2] = static_cast<uint8_t>(count);
}

int read_sample_count(std::span<const uint8_t> bytes) { return (bytes[1] << 8) | bytes[2]; }

}  // namespace

// Appends to an XorChunk; holds the encoder state that the bytes alone would
// only yield by decoding everything again.
class XorAppender final : public ChunkAppender {
 public:
  XorAppender(XorChunk* chunk, int free_bits) : chunk_(chunk), writer_(&chunk->bytes_, free_bits) {}

  void restore(int count, int64_t t, uint64_t t_delta, double v, uint8_t leading,
               uint8_t trailing) {
    count_ = count;
    t_ = t;
    t_delta_ = t_delta;
    v_bits_ = std::bit_cast<uint64_t>(v);
    leading_ = leading;
    trailing_ = trailing;
  }

  void append(int64_t t_ms, double v) override {
    assert(count_ < Chunk::kMaxSamples && "append to a full chunk");
    const auto v_bits = std::bit_cast<uint64_t>(v);
    // Unsigned arithmetic: t_ms - t_ may exceed int64 (INT64_MIN to INT64_MAX),
    // and deltas and delta-of-deltas wrap modulo 2^64; the reader undoes the
    // same wrap-around, so every int64 sequence round-trips exactly.
    const uint64_t delta = static_cast<uint64_t>(t_ms) - static_cast<uint64_t>(t_);
    if (count_ == 0) {
      write_uvarint(writer_, zigzag(t_ms));
      writer_.write_bits(v_bits, 64);
    } else if (count_ == 1) {
      write_uvarint(writer_, delta);
      write_value(v_bits);
      t_delta_ = delta;
    } else {
      write_delta_of_delta(static_cast<int64_t>(delta - t_delta_));
      write_value(v_bits);
      t_delta_ = delta;
    }
    t_ = t_ms;
    v_bits_ = v_bits;
    ++count_;
    write_sample_count(chunk_->bytes_, count_);
  }

 private:
  void write_delta_of_delta(int64_t dod) {
    if (dod == 0) {
      writer_.write_bit(false);
      return;
    }
    for (const auto& bucket : xor_format::kDodBuckets) {
      if (bucket.terminated && !xor_format::fits_bits(dod, bucket.value_bits)) continue;
      // Prefix of ones plus the terminating zero, e.g. "110" for 17 bits.
      const int prefix_bits = bucket.prefix_ones + (bucket.terminated ? 1 : 0);
      const uint64_t prefix = ((uint64_t{1} << bucket.prefix_ones) - 1)
                              << (bucket.terminated ? 1 : 0);
      writer_.write_bits(prefix, prefix_bits);
      writer_.write_bits(static_cast<uint64_t>(dod), bucket.value_bits);
      return;
    }
  }

  void write_value(uint64_t v_bits) {
    const uint64_t xored = v_bits ^ v_bits_;
    if (xored == 0) {
      writer_.write_bit(false);
      return;
    }
    // Control bits and short fields go out in one write_bits call each.
    int leading = std::countl_zero(xored);
    const int trailing = std::countr_zero(xored);
    if (leading > xor_format::kMaxLeadingZeros) leading = xor_format::kMaxLeadingZeros;
    if (leading_ != xor_format::kNoWindow && leading >= leading_ && trailing >= trailing_) {
      // "10": the change fits the previous window; only its bits follow.
      const int window = 64 - leading_ - trailing_;
      if (window <= 62) {
        writer_.write_bits((uint64_t{0b10} << window) | (xored >> trailing_), window + 2);
      } else {
        writer_.write_bits(0b10, 2);
        writer_.write_bits(xored >> trailing_, window);
      }
      return;
    }
    leading_ = static_cast<uint8_t>(leading);
    trailing_ = static_cast<uint8_t>(trailing);
    const int significant = 64 - leading - trailing;
    // "11", the leading zeros, the significant bit count (64 does not fit 6
    // bits; 0 stands for it, as 0 cannot occur), then the significant bits.
    constexpr int kHeaderBits =
        2 + xor_format::kLeadingZerosBits + xor_format::kSignificantBitsBits;
    const uint64_t header =
        (((uint64_t{0b11} << xor_format::kLeadingZerosBits) | static_cast<uint64_t>(leading))
         << xor_format::kSignificantBitsBits) |
        static_cast<uint64_t>(significant & 63);
    writer_.write_bits(header, kHeaderBits);
    writer_.write_bits(xored >> trailing, significant);
  }

  XorChunk* chunk_;
  BitWriter writer_;
  int count_ = 0;
  int64_t t_ = 0;
  uint64_t t_delta_ = 0;
  uint64_t v_bits_ = 0;
  uint8_t leading_ = xor_format::kNoWindow;
  uint8_t trailing_ = 0;
};

XorChunk::XorChunk() {
  // 120 regular samples take about 100-150 bytes: one allocation instead of
  // seven doublings (Prometheus preallocates 128 too); compact() trims it.
  bytes_.reserve(128);
  bytes_.assign(kChunkHeaderBytes, 0);
  bytes_[0] = static_cast<uint8_t>(ChunkEncoding::xor_gorilla);
}

int XorChunk::num_samples() const { return read_sample_count(bytes_); }

Result<std::unique_ptr<ChunkAppender>> XorChunk::appender() {
  const int count = num_samples();
  if (count == 0) {
    bytes_.resize(kChunkHeaderBytes);
    return std::unique_ptr<ChunkAppender>(std::make_unique<XorAppender>(this, 0));
  }
  XorIterator it(bytes_);
  while (it.next()) {
  }
  if (!it.status().is_ok()) return it.status();
  const size_t used_bits = it.bit_position();
  const size_t total_bits = bytes_.size() * 8;
  if (total_bits - used_bits >= 8) {
    return Status::error(fmt::format("xor chunk: {} unused bytes after the last of {} samples",
                                     (total_bits - used_bits) / 8, count));
  }
  auto appender = std::make_unique<XorAppender>(this, static_cast<int>(total_bits - used_bits));
  const Sample last = it.at();
  appender->restore(count, last.t_ms, static_cast<uint64_t>(it.t_delta()), last.v,
                    it.leading_zeros(), it.trailing_zeros());
  return std::unique_ptr<ChunkAppender>(std::move(appender));
}

void XorIterator::reset(std::span<const uint8_t> bytes) {
  status_ = Status::ok();
  read_ = 0;
  total_ = 0;
  t_ = 0;
  t_delta_ = 0;
  v_ = 0;
  leading_ = xor_format::kNoWindow;
  trailing_ = 0;
  if (bytes.size() < kChunkHeaderBytes) {
    status_ = Status::error(fmt::format("xor chunk: {} bytes, shorter than the {}-byte header",
                                        bytes.size(), kChunkHeaderBytes));
    return;
  }
  if (bytes[0] != static_cast<uint8_t>(ChunkEncoding::xor_gorilla)) {
    status_ = Status::error(fmt::format("xor chunk: encoding byte is {}, not {}", bytes[0],
                                        static_cast<int>(ChunkEncoding::xor_gorilla)));
    return;
  }
  total_ = read_sample_count(bytes);
  reader_ = BitReader(bytes, kChunkHeaderBytes * 8);
}

bool XorIterator::fail(const char* what) {
  status_ = Status::error(fmt::format("xor chunk: {} at sample {} of {} (bit {})", what, read_ + 1,
                                      total_, reader_.position()));
  return false;
}

bool XorIterator::next() {
  if (read_ >= total_ || !status_.is_ok()) return false;
  if (read_ == 0) {
    uint64_t zigzagged = 0;
    uint64_t v_bits = 0;
    if (!read_uvarint(reader_, &zigzagged)) return fail("truncated or invalid first timestamp");
    if (!reader_.read_bits(64, &v_bits)) return fail("truncated first value");
    t_ = unzigzag(zigzagged);
    v_ = std::bit_cast<double>(v_bits);
  } else if (read_ == 1) {
    if (!read_uvarint(reader_, &t_delta_)) return fail("truncated or invalid timestamp delta");
    t_ = static_cast<int64_t>(static_cast<uint64_t>(t_) + t_delta_);
    if (!read_value()) return false;
  } else {
    int ones = 0;
    bool bit = true;
    while (ones < 4) {
      if (!reader_.read_bit(&bit)) return fail("truncated timestamp");
      if (!bit) break;
      ++ones;
    }
    uint64_t dod = 0;
    if (ones > 0) {
      const auto& bucket = xor_format::kDodBuckets[ones - 1];
      if (!reader_.read_bits(bucket.value_bits, &dod)) return fail("truncated timestamp");
      // Sign-extend with Prometheus's asymmetric range (see xor_chunk_format.hpp).
      if (bucket.value_bits < 64 && dod > (uint64_t{1} << (bucket.value_bits - 1))) {
        dod -= uint64_t{1} << bucket.value_bits;
      }
    }
    t_delta_ += dod;
    t_ = static_cast<int64_t>(static_cast<uint64_t>(t_) + t_delta_);
    if (!read_value()) return false;
  }
  ++read_;
  return true;
}

bool XorIterator::read_value() {
  bool bit = false;
  if (!reader_.read_bit(&bit)) return fail("truncated value");
  if (!bit) return true;  // same value as before
  if (!reader_.read_bit(&bit)) return fail("truncated value");
  if (bit) {
    uint64_t leading = 0;
    uint64_t significant = 0;
    if (!reader_.read_bits(xor_format::kLeadingZerosBits, &leading) ||
        !reader_.read_bits(xor_format::kSignificantBitsBits, &significant)) {
      return fail("truncated value window");
    }
    if (significant == 0) significant = 64;
    if (leading + significant > 64) return fail("corrupt value window");
    leading_ = static_cast<uint8_t>(leading);
    trailing_ = static_cast<uint8_t>(64 - leading - significant);
  } else if (leading_ == xor_format::kNoWindow) {
    return fail("value reuses a window before any was written");
  }
  const int significant = 64 - leading_ - trailing_;
  uint64_t xored = 0;
  if (!reader_.read_bits(significant, &xored)) return fail("truncated value bits");
  v_ = std::bit_cast<double>(std::bit_cast<uint64_t>(v_) ^ (xored << trailing_));
  return true;
}

}  // namespace mc::chunkenc
