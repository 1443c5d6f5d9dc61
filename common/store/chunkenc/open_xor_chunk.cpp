#include "common/store/chunkenc/open_xor_chunk.hpp"

#include <algorithm>
#include <cstdlib>
#include <new>
#include <utility>

#include "common/store/chunkenc/chunk.hpp"

namespace mc::chunkenc {

namespace {

// The header, a first sample (a varint timestamp and 64 value bits) and a
// few more: a 48-byte malloc chunk. Starting at 24 and growing 16 bytes at a
// time held 2 bytes a series less at 6 samples (bench/memory) but copied the
// buffer every few samples of a changing value.
constexpr size_t kFirstCapacity = 40;

// glibc's malloc hands out chunks of 16-byte steps with 8 bytes of header, so
// a request of 16k + 8 bytes wastes nothing; asking for less leaves the rest
// of the chunk unused but paid for.
size_t usable_size_for(size_t wanted) { return ((wanted + 8 + 15) & ~size_t{15}) - 8; }

}  // namespace

void OpenXorChunk::Buffer::grow(size_t size) {
  // By half: a third of the buffer unused at most, and 7 copies up to a
  // kilobyte (a 120-sample chunk of values that change in many bits).
  const size_t wanted = std::max({size, size_t{capacity_} + capacity_ / 2, kFirstCapacity});
  const size_t capacity = usable_size_for(wanted);
  auto* grown = static_cast<uint8_t*>(std::realloc(data_, capacity));
  if (grown == nullptr) throw std::bad_alloc();
  data_ = grown;
  capacity_ = static_cast<uint32_t>(capacity);
}

void OpenXorChunk::Buffer::release() {
  std::free(data_);
  data_ = nullptr;
  size_ = 0;
  capacity_ = 0;
}

OpenXorChunk::~OpenXorChunk() { buffer_.release(); }

OpenXorChunk::OpenXorChunk(OpenXorChunk&& other) noexcept
    : buffer_(std::exchange(other.buffer_, Buffer{})),
      encoder_(std::exchange(other.encoder_, XorEncoder{})) {}

OpenXorChunk& OpenXorChunk::operator=(OpenXorChunk&& other) noexcept {
  if (this != &other) {
    buffer_.release();
    buffer_ = std::exchange(other.buffer_, Buffer{});
    encoder_ = std::exchange(other.encoder_, XorEncoder{});
  }
  return *this;
}

void OpenXorChunk::append(int64_t t_ms, double v) {
  if (buffer_.size() == 0) {
    buffer_.resize(kChunkHeaderBytes);
    buffer_.data()[0] = static_cast<uint8_t>(ChunkEncoding::xor_gorilla);
  }
  encoder_.append(&buffer_, t_ms, v);
}

int64_t OpenXorChunk::first_t() const {
  // Written by XorEncoder: a zigzag varint right after the header, complete
  // once the first sample is in.
  uint64_t zigzagged = 0;
  int shift = 0;
  for (size_t i = kChunkHeaderBytes; i < buffer_.size() && shift < 64; ++i, shift += 7) {
    const uint8_t byte = buffer_.data()[i];
    zigzagged |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) break;
  }
  return static_cast<int64_t>(zigzagged >> 1) ^ -static_cast<int64_t>(zigzagged & 1);
}

void OpenXorChunk::clear() {
  buffer_.release();
  encoder_ = XorEncoder{};
}

void OpenXorChunk::restart() {
  buffer_.size_ = 0;  // resize() zeroes what it hands out again
  encoder_ = XorEncoder{};
}

}  // namespace mc::chunkenc
