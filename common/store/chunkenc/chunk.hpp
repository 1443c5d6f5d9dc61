// Chunk, ChunkAppender, ChunkIterator: the codec interfaces of the store, in the
// shape of Prometheus tsdb/chunkenc.
//
// A chunk is a self-describing byte string: byte 0 is the encoding
// (ChunkEncoding), bytes 1-2 the sample count (big-endian), the rest is the
// encoding's payload. Because the encoding travels inside the bytes, a reader
// needs nothing but the bytes (new_chunk_iterator), and a later encoding (e.g.
// a constant or counter encoding chosen per chunk) only adds an enum value.
//
// Timestamps are any int64 milliseconds in non-decreasing order; values any
// double, round-tripped bit for bit (every NaN payload, StaleNaN, -0.0, ±Inf).
//
// Thread-safety: none. A Chunk and its appender are used by one thread at a
// time (the head serialises them under its stripe lock); an iterator reads
// bytes that must stay alive and unchanged while it is used.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "common/model/sample_value.hpp"
#include "common/util/status.hpp"

namespace mc::chunkenc {

enum class ChunkEncoding : uint8_t {
  none = 0,  // never written; a zeroed header reads as corrupt
  xor_gorilla = 1,
};

// Iterates a chunk's samples in order. Use:
//   while (it->next()) { Sample s = it->at(); ... }
//   if (!it->status().is_ok()) { ... }   // decode errors are read after the loop
// After an error next() keeps returning false.
class ChunkIterator {
 public:
  virtual ~ChunkIterator() = default;
  virtual ChunkEncoding encoding() const = 0;
  // Restarts on other bytes of the same encoding, keeping allocated state.
  virtual void reset(std::span<const uint8_t> bytes) = 0;
  virtual bool next() = 0;
  // REQUIRES: the last next() returned true.
  virtual Sample at() const = 0;
  virtual const Status& status() const = 0;
};

// Appends samples to the chunk it came from. REQUIRES: timestamps
// non-decreasing (the head rejects older samples before they get here) and the
// chunk not full().
class ChunkAppender {
 public:
  virtual ~ChunkAppender() = default;
  virtual void append(int64_t t_ms, double v) = 0;
};

class Chunk {
 public:
  virtual ~Chunk() = default;
  virtual ChunkEncoding encoding() const = 0;
  // The whole chunk, header included; valid until the next append.
  virtual std::span<const uint8_t> bytes() const = 0;
  virtual int num_samples() const = 0;
  bool full() const { return num_samples() >= kMaxSamples; }

  // An appender continuing after the samples already in the chunk (decodes them
  // to restore its state, so it fails on a corrupt chunk). At most one appender
  // per chunk may be used at a time.
  virtual Result<std::unique_ptr<ChunkAppender>> appender() = 0;

  // Returns heap memory the chunk no longer needs (a sealed chunk stops growing).
  virtual void compact() = 0;
  // Makes room for `total_bytes` (header included) so appends up to there do
  // not grow the storage again; a hint, ignored by encodings without a buffer.
  virtual void reserve(size_t /*total_bytes*/) {}
  // Bytes held, object and heap, for memory accounting.
  virtual size_t memory_bytes() const = 0;

  static constexpr int kMaxSamples = 0xffff;  // the header's count is 16 bits
};

inline constexpr size_t kChunkHeaderBytes = 3;  // encoding byte + 16-bit sample count

// An empty chunk of the encoding. REQUIRES: a known encoding.
std::unique_ptr<Chunk> new_chunk(ChunkEncoding encoding);

// Takes ownership of encoded bytes (from disk or the network); fails when the
// header is shorter than kChunkHeaderBytes or names an unknown encoding.
Result<std::unique_ptr<Chunk>> chunk_from_bytes(std::vector<uint8_t> bytes);

// An iterator over `bytes`, reusing `reuse` when it has the right encoding.
// Unknown encodings and short headers yield an iterator whose status() is the error.
std::unique_ptr<ChunkIterator> new_chunk_iterator(std::span<const uint8_t> bytes,
                                                  std::unique_ptr<ChunkIterator> reuse = nullptr);

}  // namespace mc::chunkenc
