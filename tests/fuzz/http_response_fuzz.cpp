// Fuzz target: HttpResponseReader, the plain scrape client's response parser,
// on any bytes from a server. The first byte picks a piece size; the response
// is read once whole and once in pieces of that size, and both readings must
// agree on the outcome, the body and the error: TCP may split a response
// anywhere.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "collector/http_client/http_response_reader.hpp"

namespace {

struct Reading : mc::HttpResponseSink {
  bool on_head(const mc::HttpResponseReader&) override { return true; }
  bool on_body(std::string_view piece) override {
    body.append(piece);
    return body.size() < (size_t{1} << 22);  // a gzip bomb stops as a body limit would
  }
  std::string body;
  mc::HttpResponseReader::State state{};
  std::string error;
  size_t consumed = 0;
};

void read(std::string_view wire, size_t piece_size, Reading& reading) {
  mc::HttpResponseReader reader;
  for (size_t at = 0; at < wire.size() && !reader.done() && !reader.failed(); at += piece_size) {
    reading.consumed += reader.feed(wire.substr(at, piece_size), reading);
  }
  reader.end_of_stream();
  reading.state = reader.state();
  if (reader.failed()) reading.error = reader.error();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece_size = size_t{data[0]} + 1;
  const std::string_view wire(reinterpret_cast<const char*>(data) + 1, size - 1);
  Reading whole;
  Reading pieces;
  read(wire, wire.size() + 1, whole);
  read(wire, piece_size, pieces);
  if (whole.state != pieces.state || whole.body != pieces.body || whole.error != pieces.error) {
    std::abort();
  }
  return 0;
}
