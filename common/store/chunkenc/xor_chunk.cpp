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

#include <fmt/format.h>

#include "common/store/chunkenc/xor_chunk_format.hpp"
#include "common/store/chunkenc/xor_encoder.hpp"

namespace mc::chunkenc {

static_assert(XorEncoder::kMaxSamples == Chunk::kMaxSamples);

namespace {

int64_t unzigzag(uint64_t value) {
  return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
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

int read_sample_count(std::span<const uint8_t> bytes) { return (bytes[1] << 8) | bytes[2]; }

}  // namespace

// Appends to an XorChunk; holds the encoder state that the bytes alone would
// only yield by decoding everything again.
class XorAppender final : public ChunkAppender {
 public:
  XorAppender(XorChunk* chunk, const XorEncoder& encoder) : chunk_(chunk), encoder_(encoder) {}

  void append(int64_t t_ms, double v) override { encoder_.append(&chunk_->bytes_, t_ms, v); }

 private:
  XorChunk* chunk_;
  XorEncoder encoder_;
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
    return std::unique_ptr<ChunkAppender>(std::make_unique<XorAppender>(this, XorEncoder{}));
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
  const Sample last = it.at();
  XorEncoder encoder;
  encoder.restore(count, last.t_ms, static_cast<uint64_t>(it.t_delta()), last.v, it.leading_zeros(),
                  it.trailing_zeros(), static_cast<int>(total_bits - used_bits));
  return std::unique_ptr<ChunkAppender>(std::make_unique<XorAppender>(this, encoder));
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
