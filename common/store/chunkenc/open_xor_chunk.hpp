// OpenXorChunk: the chunk a head series is appending to, in the XOR format
// (xor_chunk.cpp), kept as small as a series can hold it: the encoder's state
// inline (no appender object, no virtual calls) and the bytes in one heap
// buffer that grows with what is written, from a 40-byte first block (the
// header, the first sample and a few more) by half, so a series scraped a few
// times holds tens of bytes, not a preallocated 128. Where Prometheus keeps a
// memChunk, its xorAppender and a 128-byte slice, this is one 48-byte value
// inside the series and one allocation sized to the samples.
//
// Thread-safety: none; the head serialises access under its stripe lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/store/chunkenc/xor_encoder.hpp"

namespace mc::chunkenc {

class OpenXorChunk {
 public:
  OpenXorChunk() = default;
  ~OpenXorChunk();
  OpenXorChunk(OpenXorChunk&& other) noexcept;
  OpenXorChunk& operator=(OpenXorChunk&& other) noexcept;
  OpenXorChunk(const OpenXorChunk&) = delete;
  OpenXorChunk& operator=(const OpenXorChunk&) = delete;

  // REQUIRES: timestamps non-decreasing, num_samples() < XorEncoder::kMaxSamples.
  void append(int64_t t_ms, double v);
  // Frees the bytes: the chunk is empty again, ready for a new first sample.
  void clear();
  // Empty again, as clear(), but keeping the buffer for the next chunk's
  // bytes to grow into.
  void restart();

  bool empty() const { return encoder_.count() == 0; }
  int num_samples() const { return encoder_.count(); }
  // REQUIRES: !empty()
  int64_t last_t() const { return encoder_.last_t(); }
  // Decoded from the first sample's varint (a few bytes), not kept.
  int64_t first_t() const;
  double last_v() const { return encoder_.last_v(); }

  // The whole chunk, header included (empty when empty()); valid until the
  // next append or clear().
  std::span<const uint8_t> bytes() const { return {buffer_.data(), buffer_.size()}; }
  // Heap bytes held (the buffer's capacity; the object itself is its owner's).
  size_t heap_bytes() const { return buffer_.capacity(); }

  // The bytes the next append writes, for a prefetch hint (null when empty).
  const uint8_t* tail() const {
    return buffer_.data() == nullptr ? nullptr : buffer_.data() + buffer_.size() - 1;
  }

 private:
  // The storage BasicBitWriter appends to: a pointer and two 32-bit sizes
  // where a std::vector takes three pointers.
  class Buffer {
   public:
    uint8_t* data() { return data_; }
    const uint8_t* data() const { return data_; }
    size_t size() const { return size_; }
    size_t capacity() const { return capacity_; }
    uint8_t& back() { return data_[size_ - 1]; }
    // New bytes are zero (BasicBitWriter ORs bits into them). Inline: a
    // sample adds a byte or two, and the call and a memset for them were 2%
    // of the daemon's instructions at 50 targets of 1,000 series.
    void resize(size_t size) {
      if (size > capacity_) grow(size);
      for (size_t i = size_; i < size; ++i) data_[i] = 0;
      size_ = static_cast<uint32_t>(size);
    }
    void release();

   private:
    friend class OpenXorChunk;
    void grow(size_t size);
    uint8_t* data_ = nullptr;
    uint32_t size_ = 0;
    uint32_t capacity_ = 0;
  };

  Buffer buffer_;
  XorEncoder encoder_;
};

}  // namespace mc::chunkenc
