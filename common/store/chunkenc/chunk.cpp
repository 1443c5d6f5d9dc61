#include "common/store/chunkenc/chunk.hpp"

#include <fmt/format.h>

#include "common/store/chunkenc/xor_chunk.hpp"

namespace mc::chunkenc {

namespace {

// Stands in for an iterator over bytes no decoder understands, so callers read
// the error after the loop like any other decode error.
class FailedIterator final : public ChunkIterator {
 public:
  explicit FailedIterator(Status status) : status_(std::move(status)) {}
  ChunkEncoding encoding() const override { return ChunkEncoding::none; }
  void reset(std::span<const uint8_t>) override {}
  bool next() override { return false; }
  Sample at() const override { return {}; }
  const Status& status() const override { return status_; }

 private:
  Status status_;
};

Status check_header(std::span<const uint8_t> bytes) {
  if (bytes.size() < kChunkHeaderBytes) {
    return Status::error(fmt::format("chunk: {} bytes, shorter than the {}-byte header",
                                     bytes.size(), kChunkHeaderBytes));
  }
  if (bytes[0] != static_cast<uint8_t>(ChunkEncoding::xor_gorilla)) {
    return Status::error(fmt::format("chunk: unknown encoding byte {}", bytes[0]));
  }
  return Status::ok();
}

}  // namespace

std::unique_ptr<Chunk> new_chunk(ChunkEncoding encoding) {
  switch (encoding) {
    case ChunkEncoding::xor_gorilla:
      return std::make_unique<XorChunk>();
    case ChunkEncoding::none:
      break;
  }
  return nullptr;
}

Result<std::unique_ptr<Chunk>> chunk_from_bytes(std::vector<uint8_t> bytes) {
  if (Status header = check_header(bytes); !header.is_ok()) return header;
  return std::unique_ptr<Chunk>(std::make_unique<XorChunk>(std::move(bytes)));
}

std::unique_ptr<ChunkIterator> new_chunk_iterator(std::span<const uint8_t> bytes,
                                                  std::unique_ptr<ChunkIterator> reuse) {
  if (Status header = check_header(bytes); !header.is_ok()) {
    return std::make_unique<FailedIterator>(std::move(header));
  }
  if (reuse && reuse->encoding() == ChunkEncoding::xor_gorilla) {
    reuse->reset(bytes);
    return reuse;
  }
  return std::make_unique<XorIterator>(bytes);
}

}  // namespace mc::chunkenc
