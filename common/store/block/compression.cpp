#include "common/store/block/compression.hpp"

#include <fmt/format.h>
#include <zstd.h>

namespace mc::block {

namespace {
constexpr unsigned long long kMaxZstdExpansion = 32768;
}  // namespace

struct Compressor::Context {
  ZSTD_CCtx* context = ZSTD_createCCtx();
  Context() = default;
  ~Context() { ZSTD_freeCCtx(context); }
  Context(const Context&) = delete;  // a copy would free the ZSTD context twice
  Context& operator=(const Context&) = delete;
};

Compressor::Compressor(int level) : context_(std::make_unique<Context>()), level_(level) {}
Compressor::~Compressor() = default;

Compression Compressor::compress(std::span<const uint8_t> raw, std::vector<uint8_t>& out) {
  out.resize(ZSTD_compressBound(raw.size()));
  const size_t size =
      ZSTD_compressCCtx(context_->context, out.data(), out.size(), raw.data(), raw.size(), level_);
  if (!ZSTD_isError(size) && size < raw.size()) {
    out.resize(size);
    return Compression::zstd;
  }
  out.assign(raw.begin(), raw.end());
  return Compression::none;
}

Status check_zstd_frame(std::span<const uint8_t> stored, uint64_t raw_bytes) {
  // raw_bytes comes from the file: believe it only as far as the frame
  // header agrees, so a damaged size fails here instead of allocating
  // gigabytes (found by tests/fuzz block_index). The writer's
  // ZSTD_compressCCtx always records the content size.
  const unsigned long long declared = ZSTD_getFrameContentSize(stored.data(), stored.size());
  if (declared == ZSTD_CONTENTSIZE_ERROR || declared == ZSTD_CONTENTSIZE_UNKNOWN) {
    return Status::error("zstd: no frame header with a content size");
  }
  // A zstd block yields at most 128 KiB and takes at least 4 bytes (an RLE
  // block), so no frame expands more than 32768-fold; a header saying more
  // is damage, and allocating what it says could exhaust memory.
  if (declared / kMaxZstdExpansion > stored.size()) {
    return Status::error(fmt::format(
        "zstd frame claims {} bytes from {}: more than zstd can expand", declared, stored.size()));
  }
  if (declared != raw_bytes) {
    return Status::error(
        fmt::format("zstd frame holds {} bytes where {} were expected", declared, raw_bytes));
  }
  return Status::ok();
}

Status decompress(Compression compression, std::span<const uint8_t> stored, size_t raw_bytes,
                  std::vector<uint8_t>& out) {
  switch (compression) {
    case Compression::none:
      if (stored.size() != raw_bytes) {
        return Status::error(
            fmt::format("stored {} bytes where {} were expected", stored.size(), raw_bytes));
      }
      out.assign(stored.begin(), stored.end());
      return Status::ok();
    case Compression::zstd: {
      if (Status status = check_zstd_frame(stored, raw_bytes); !status) return status;
      out.resize(raw_bytes);
      const size_t size = ZSTD_decompress(out.data(), out.size(), stored.data(), stored.size());
      if (ZSTD_isError(size)) {
        return Status::error(fmt::format("zstd: {}", ZSTD_getErrorName(size)));
      }
      if (size != raw_bytes) {
        return Status::error(
            fmt::format("zstd gave {} bytes where {} were expected", size, raw_bytes));
      }
      return Status::ok();
    }
  }
  return Status::error(fmt::format("unknown compression {}", static_cast<int>(compression)));
}

}  // namespace mc::block
