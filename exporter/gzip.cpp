#include "exporter/gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>

namespace mc {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The q parameter of one Accept-Encoding element; 1 when absent.
double quality_of(std::string_view parameters) {
  while (!parameters.empty()) {
    size_t end = parameters.find(';');
    std::string_view parameter = trim(parameters.substr(0, end));
    if (parameter.size() >= 2 && (parameter[0] == 'q' || parameter[0] == 'Q') &&
        parameter[1] == '=') {
      std::string value(parameter.substr(2));
      return std::strtod(value.c_str(), nullptr);
    }
    if (end == std::string_view::npos) break;
    parameters.remove_prefix(end + 1);
  }
  return 1;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  while (!accept_encoding.empty()) {
    size_t end = accept_encoding.find(',');
    std::string_view element = accept_encoding.substr(0, end);
    size_t parameters_start = element.find(';');
    std::string_view coding = trim(element.substr(0, parameters_start));
    if (equals_ignoring_case(coding, "gzip") || coding == "*") {
      std::string_view parameters = parameters_start == std::string_view::npos
                                        ? std::string_view()
                                        : element.substr(parameters_start + 1);
      return quality_of(parameters) > 0;
    }
    if (end == std::string_view::npos) break;
    accept_encoding.remove_prefix(end + 1);
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
