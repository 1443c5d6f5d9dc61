#include "exporter/gzip.hpp"

#include <zlib.h>

#include <string>
#include <utility>

#include "common/util/http_header.hpp"

namespace mc {

bool accepts_gzip(std::string_view accept_encoding) {
  for (const auto& element : parse_header_list(accept_encoding)) {
    if (element.value == "gzip" || element.value == "*") return element.quality > 0;
  }
  return false;
}

Status gzip_compress(std::string_view input, std::string& out) {
  z_stream stream{};
  // windowBits 15 + 16 asks zlib for a gzip header and trailer instead of zlib's own.
  if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::error("gzip: cannot initialise zlib deflate");
  }
  out.resize(deflateBound(&stream, static_cast<uLong>(input.size())));
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int result = deflate(&stream, Z_FINISH);
  size_t written = stream.total_out;
  deflateEnd(&stream);
  if (result != Z_STREAM_END) {
    out.clear();
    return Status::error("gzip: deflate failed with zlib error " + std::to_string(result));
  }
  out.resize(written);
  return Status::ok();
}

namespace {

// One deflate stream writing to a sink.
class GzipStream {
 public:
  static constexpr size_t kOutBytes = size_t{64} << 10;

  explicit GzipStream(const BodySink& sink) : sink_(sink), out_(kOutBytes, '\0') {
    ok_ = deflateInit2(&stream_, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
    initialised_ = ok_;
  }
  ~GzipStream() {
    if (initialised_) deflateEnd(&stream_);
  }
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  bool write(std::string_view piece) { return deflate_all(piece, Z_NO_FLUSH); }
  bool finish() { return deflate_all({}, Z_FINISH); }

 private:
  bool deflate_all(std::string_view piece, int flush) {
    if (!ok_) return false;
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
    stream_.avail_in = static_cast<uInt>(piece.size());
    while (true) {
      stream_.next_out = reinterpret_cast<Bytef*>(out_.data());
      stream_.avail_out = static_cast<uInt>(out_.size());
      const int result = deflate(&stream_, flush);
      if (result != Z_OK && result != Z_STREAM_END && result != Z_BUF_ERROR) {
        ok_ = false;
        return false;
      }
      const size_t produced = out_.size() - stream_.avail_out;
      if (produced > 0 && !sink_(std::string_view(out_.data(), produced))) {
        ok_ = false;
        return false;
      }
      // Done when deflate left output space unused (it has taken all input)
      // or, when finishing, once the trailer is out.
      if (flush == Z_FINISH ? result == Z_STREAM_END : stream_.avail_out != 0) return true;
    }
  }

  const BodySink& sink_;
  z_stream stream_{};
  std::string out_;
  bool ok_ = false;
  bool initialised_ = false;
};

}  // namespace

BodyProducer gzip_streamed(BodyProducer plain) {
  return [plain = std::move(plain)](const BodySink& sink) {
    GzipStream gzip(sink);
    plain([&gzip](std::string_view piece) { return gzip.write(piece); });
    gzip.finish();
  };
}

}  // namespace mc
