// How a ScrapeCache (scrape_cache.hpp) stores its keys' bytes, two ways with
// one interface: a key is appended once and named by the offset append()
// returned (its size is stored with it, so the cache's entries need not);
// get() and equals() read it back; drop() notes that it is gone (the bytes
// stay until the cache rewrites the store without them).
//
// - WholeKeys: the keys back to back, as they came, each after its size (a
//   varint). get() views the store itself, valid until the next append(). For
//   keys a caller keeps a view of (the family name of the lines being read).
// - PrefixCodedKeys: each key as the length of the prefix it shares with the
//   key appended before it, and the rest ("front coding", as LevelDB's
//   blocks). A target's page lists its series in an order that changes
//   little and whose neighbours share most of their text
//   (`node_cpu_seconds_total{cpu="3",mode="idle"}`, then `...mode="iowait"}`),
//   and the cache appends them in that order, so the store holds a fraction
//   of the page (the text was 55 of a series' 160 scrape-side bytes at
//   node_exporter's page, bench/memory). Every 16th key is whole (a
//   restart), so reading any key decodes at most 16; reading the key after
//   the one read last decodes one, which is what a scrape does in the
//   page's order. get() views a scratch copy, valid until the next get() or
//   equals().
//
// Thread-safety: none; the cache's owner serialises every call, get() and
// equals() included (they reuse the scratch copy).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mc {

// Makes room for `size` elements, growing by an eighth when it must grow:
// a target's cache holds its whole page for good, and std::vector's
// doubling would leave up to half of each array unused.
template <typename Vector>
void scrape_cache_reserve(Vector& vector, size_t size) {
  constexpr size_t kMinSlack = 16;
  if (size <= vector.capacity()) return;
  vector.reserve(std::max(size, vector.capacity() + vector.capacity() / 8 + kMinSlack));
}

// Varints of the key stores: a key's size, a shared prefix's length.
namespace scrape_cache_varint {

constexpr size_t kMaxBytes = 5;  // a 32-bit length

inline void append(std::vector<char>& bytes, size_t value) {
  while (value >= 0x80) {
    bytes.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  bytes.push_back(static_cast<char>(value));
}

// Reads the varint at `at` and moves `at` past it.
inline size_t read(const std::vector<char>& bytes, size_t& at) {
  size_t value = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(bytes[at++]);
    value |= static_cast<size_t>(byte & 0x7f) << shift;
    if (byte < 0x80) return value;
  }
}

}  // namespace scrape_cache_varint

class WholeKeys {
 public:
  uint32_t append(std::string_view key) {
    const auto offset = static_cast<uint32_t>(bytes_.size());
    scrape_cache_reserve(bytes_, bytes_.size() + scrape_cache_varint::kMaxBytes + key.size());
    scrape_cache_varint::append(bytes_, key.size());
    bytes_.insert(bytes_.end(), key.begin(), key.end());
    return offset;
  }
  std::string_view get(uint32_t offset) const {
    size_t at = offset;
    const size_t size = scrape_cache_varint::read(bytes_, at);
    return std::string_view(bytes_.data() + at, size);
  }
  bool equals(uint32_t offset, std::string_view key) const { return get(offset) == key; }
  void drop(uint32_t offset) {
    size_t at = offset;
    garbage_ += scrape_cache_varint::read(bytes_, at) + (at - offset);
  }

  // Bytes of dropped keys still held, and of all keys held.
  size_t garbage() const { return garbage_; }
  size_t bytes() const { return bytes_.size(); }
  size_t memory_bytes() const { return bytes_.capacity(); }
  void reserve(size_t bytes) { bytes_.reserve(bytes); }

 private:
  std::vector<char> bytes_;
  size_t garbage_ = 0;
};

class PrefixCodedKeys {
 public:
  uint32_t append(std::string_view key) {
    const auto offset = static_cast<uint32_t>(bytes_.size());
    size_t shared = 0;
    if (appended_ % kRestartInterval == 0) {
      scrape_cache_reserve(restarts_, restarts_.size() + 1);
      restarts_.push_back(offset);
    } else {
      const size_t most = std::min(last_.size(), key.size());
      while (shared < most && last_[shared] == key[shared]) ++shared;
    }
    const std::string_view rest = key.substr(shared);
    scrape_cache_reserve(bytes_, bytes_.size() + 2 * scrape_cache_varint::kMaxBytes + rest.size());
    scrape_cache_varint::append(bytes_, shared);
    scrape_cache_varint::append(bytes_, rest.size());
    bytes_.insert(bytes_.end(), rest.begin(), rest.end());
    last_.assign(key);
    ++appended_;
    return offset;
  }

  std::string_view get(uint32_t offset) const {
    decode(offset);
    return std::string_view(scratch_.get(), scratch_size_);
  }
  bool equals(uint32_t offset, std::string_view key) const {
    // The key's size is its shared length and its rest's: a key of another
    // size is told apart without decoding it.
    size_t at = offset;
    const size_t shared = scrape_cache_varint::read(bytes_, at);
    const size_t rest = scrape_cache_varint::read(bytes_, at);
    return shared + rest == key.size() && get(offset) == key;
  }
  void drop(uint32_t offset) {
    size_t at = offset;
    scrape_cache_varint::read(bytes_, at);
    const size_t rest = scrape_cache_varint::read(bytes_, at);
    garbage_ += at - offset + rest;
  }

  size_t garbage() const { return garbage_; }
  size_t bytes() const { return bytes_.size(); }
  size_t memory_bytes() const {
    return bytes_.capacity() + restarts_.capacity() * sizeof(uint32_t) + last_.capacity() +
           scratch_capacity_;
  }
  void reserve(size_t bytes) { bytes_.reserve(bytes); }

 private:
  static constexpr uint32_t kRestartInterval = 16;
  static constexpr size_t kNothingDecoded = SIZE_MAX;

  // Leaves the key at `offset` in scratch_: from the key decoded last when
  // `offset` follows it, else from the restart at or before `offset`.
  void decode(size_t offset) const {
    if (offset == decoded_) return;
    size_t at = offset;
    if (offset != decoded_end_) {
      at = *(std::upper_bound(restarts_.begin(), restarts_.end(), offset) - 1);
    }
    for (;;) {
      size_t next = at;
      const size_t shared = scrape_cache_varint::read(bytes_, next);
      const size_t rest = scrape_cache_varint::read(bytes_, next);
      if (shared + rest > scratch_capacity_) grow_scratch(shared + rest);
      std::memcpy(scratch_.get() + shared, bytes_.data() + next, rest);
      scratch_size_ = shared + rest;
      decoded_ = at;
      decoded_end_ = next + rest;
      if (at == offset) return;
      at = decoded_end_;
    }
  }

  // Keeps the scratch's first `shared` bytes (the decoded key's prefix the
  // next one shares): a plain buffer, so a decode is one memcpy of the rest
  // (std::string's resize and append cost about 70 instructions a key).
  void grow_scratch(size_t size) const {
    const size_t capacity = std::max(size, 2 * scratch_capacity_);
    auto grown = std::make_unique_for_overwrite<char[]>(capacity);
    if (scratch_size_ > 0) std::memcpy(grown.get(), scratch_.get(), scratch_size_);
    scratch_ = std::move(grown);
    scratch_capacity_ = capacity;
  }

  std::vector<char> bytes_;         // per key: varint shared, varint rest size, rest
  std::vector<uint32_t> restarts_;  // offsets of the whole keys, ascending
  std::string last_;                // the key appended last, which the next shares from
  uint64_t appended_ = 0;
  size_t garbage_ = 0;
  // The key decoded last, its offset and where the key after it starts.
  mutable std::unique_ptr<char[]> scratch_;
  mutable size_t scratch_size_ = 0;
  mutable size_t scratch_capacity_ = 0;
  mutable size_t decoded_ = kNothingDecoded;
  mutable size_t decoded_end_ = kNothingDecoded;
};

}  // namespace mc
