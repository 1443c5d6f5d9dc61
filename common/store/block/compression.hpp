// zstd for chunk groups and index sections, kept only when it saves bytes:
// a group of already tight columns often does not shrink, and decompressing
// it would then cost time for nothing.
//
// Private to common/store/block. Thread-safety: a Compressor is used by one
// thread; decompress() is a free function without shared state.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "common/store/block/block_format.hpp"
#include "common/util/status.hpp"

namespace mc::block {

class Compressor {
 public:
  explicit Compressor(int level);
  ~Compressor();
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;

  // Sets `out` to the stored form of `raw` and returns how it is stored:
  // zstd when that is strictly smaller, else the raw bytes.
  Compression compress(std::span<const uint8_t> raw, std::vector<uint8_t>& out);

 private:
  struct Context;
  std::unique_ptr<Context> context_;
  int level_;
};

// Whether `stored` starts a zstd frame that says it holds exactly
// `raw_bytes` bytes, no more than zstd can expand from it: what decompress()
// checks before allocating, and what a streamed section checks first.
Status check_zstd_frame(std::span<const uint8_t> stored, uint64_t raw_bytes);

// Sets `out` to the `raw_bytes` bytes `stored` holds. Fails (without a
// location: the caller names file and offset) on unknown compression, a zstd
// error or a size other than `raw_bytes`.
Status decompress(Compression compression, std::span<const uint8_t> stored, size_t raw_bytes,
                  std::vector<uint8_t>& out);

}  // namespace mc::block
