#include "exporter/gzip.hpp"

#include <zlib.h>

#include <string>

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

}  // namespace mc
