// XorChunk: the Gorilla encoding (Facebook's Gorilla paper, as Prometheus
// tsdb/chunkenc/xor.go writes it): delta-of-delta timestamps and XOR-ed values.
// Regular scrapes cost about one bit per timestamp and a constant value one bit
// per sample. The byte layout is documented at the top of xor_chunk.cpp.
//
// Thread-safety: see chunk.hpp (none; callers serialise).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "common/store/chunkenc/bit_reader.hpp"
#include "common/store/chunkenc/chunk.hpp"

namespace mc::chunkenc {

class XorChunk final : public Chunk {
 public:
  XorChunk();
  // REQUIRES: bytes hold at least the header with the xor_gorilla encoding byte.
  explicit XorChunk(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}

  ChunkEncoding encoding() const override { return ChunkEncoding::xor_gorilla; }
  std::span<const uint8_t> bytes() const override { return bytes_; }
  int num_samples() const override;
  Result<std::unique_ptr<ChunkAppender>> appender() override;
  void compact() override { bytes_.shrink_to_fit(); }
  void reserve(size_t total_bytes) override { bytes_.reserve(total_bytes); }
  size_t memory_bytes() const override { return sizeof(*this) + bytes_.capacity(); }

 private:
  friend class XorAppender;
  std::vector<uint8_t> bytes_;
};

class XorIterator final : public ChunkIterator {
 public:
  explicit XorIterator(std::span<const uint8_t> bytes) { reset(bytes); }

  ChunkEncoding encoding() const override { return ChunkEncoding::xor_gorilla; }
  void reset(std::span<const uint8_t> bytes) override;
  bool next() override;
  Sample at() const override { return Sample{t_, v_}; }
  const Status& status() const override { return status_; }

  // Decoder state, also used to resume appending after the last sample.
  int64_t t_delta() const { return static_cast<int64_t>(t_delta_); }
  uint8_t leading_zeros() const { return leading_; }
  uint8_t trailing_zeros() const { return trailing_; }
  size_t bit_position() const { return reader_.position(); }

 private:
  bool fail(const char* what);
  bool read_value();

  BitReader reader_;
  int total_ = 0;
  int read_ = 0;
  int64_t t_ = 0;
  uint64_t t_delta_ = 0;  // unsigned: deltas wrap modulo 2^64 (see xor_chunk.cpp)
  double v_ = 0;
  uint8_t leading_ = 0;
  uint8_t trailing_ = 0;
  Status status_;
};

}  // namespace mc::chunkenc
