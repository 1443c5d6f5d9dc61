// ByteWriter and ByteReader: the binary encoding shared by the WAL, blocks and
// the index. Integers are little-endian when fixed-width; varints are LEB128
// (unsigned) and zigzag LEB128 (signed), as in Go's encoding/binary, so a
// reader in another language needs nothing unusual.
//
// ByteReader never reads past its span: a read that would sets a sticky error
// and returns 0, so a decoder reads a whole record and checks ok() once, and
// random bytes (a corrupt file, a fuzzer) cannot make it misbehave.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mc {

inline uint64_t zigzag_encode(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t zigzag_decode(uint64_t u) {
  return static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1);
}

// Appends to a caller-owned vector, so one buffer is reused across records.
class ByteWriter {
 public:
  explicit ByteWriter(std::vector<uint8_t>& out) : out_(out) {}

  void u8(uint8_t v) { out_.push_back(v); }
  void u32(uint32_t v) { fixed(v); }
  void u64(uint64_t v) { fixed(v); }
  void f64(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    fixed(bits);
  }
  void uvarint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<uint8_t>(v) | 0x80);
      v >>= 7;
    }
    out_.push_back(static_cast<uint8_t>(v));
  }
  void varint(int64_t v) { uvarint(zigzag_encode(v)); }
  void bytes(std::span<const uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  // A uvarint length, then the bytes.
  void string(std::string_view s) {
    uvarint(s.size());
    out_.insert(out_.end(), s.begin(), s.end());
  }
  // Overwrites 4 bytes at `offset` (a length or CRC known only afterwards).
  void patch_u32(size_t offset, uint32_t v) {
    for (int i = 0; i < 4; ++i) out_[offset + i] = static_cast<uint8_t>(v >> (8 * i));
  }
  size_t size() const { return out_.size(); }

 private:
  // Little-endian. On a little-endian machine the value's own bytes, appended
  // at once: a push_back a byte was a capacity check a byte.
  template <typename T>
  void fixed(T v) {
    if constexpr (std::endian::native == std::endian::little) {
      const size_t at = out_.size();
      out_.resize(at + sizeof(T));
      std::memcpy(out_.data() + at, &v, sizeof(T));
    } else {
      for (size_t i = 0; i < sizeof(T); ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
  }
  std::vector<uint8_t>& out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> in) : in_(in) {}

  bool ok() const { return ok_; }
  size_t remaining() const { return in_.size() - position_; }
  size_t position() const { return position_; }
  bool at_end() const { return position_ == in_.size(); }

  uint8_t u8() { return has(1) ? in_[position_++] : 0; }
  uint32_t u32() { return fixed<uint32_t>(); }
  uint64_t u64() { return fixed<uint64_t>(); }
  double f64() {
    const uint64_t bits = u64();
    double v;
    std::memcpy(&v, &bits, 8);
    return v;
  }
  uint64_t uvarint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!has(1)) return 0;
      const uint8_t b = in_[position_++];
      // The tenth byte may carry only the top bit of a 64-bit value.
      if (shift == 63 && b > 1) return fail();
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
    return fail();
  }
  int64_t varint() { return zigzag_decode(uvarint()); }
  // The next `n` bytes, or an empty span (and the error) when fewer remain.
  std::span<const uint8_t> bytes(size_t n) {
    if (!has(n)) return {};
    auto out = in_.subspan(position_, n);
    position_ += n;
    return out;
  }
  std::string_view string() {
    const uint64_t n = uvarint();
    if (!ok_ || n > remaining()) {
      fail();
      return {};
    }
    auto b = bytes(static_cast<size_t>(n));
    return {reinterpret_cast<const char*>(b.data()), b.size()};
  }
  void skip(size_t n) { bytes(n); }

 private:
  bool has(size_t n) {
    if (ok_ && n <= remaining()) return true;
    fail();
    return false;
  }
  uint64_t fail() {
    ok_ = false;
    position_ = in_.size();
    return 0;
  }
  template <typename T>
  T fixed() {
    if (!has(sizeof(T))) return 0;
    T v = 0;
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(&v, in_.data() + position_, sizeof(T));
    } else {
      for (size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(in_[position_ + i]) << (8 * i);
    }
    position_ += sizeof(T);
    return v;
  }

  std::span<const uint8_t> in_;
  size_t position_ = 0;
  bool ok_ = true;
};

}  // namespace mc
