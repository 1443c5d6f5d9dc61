// Fuzz target: HttpResponseReader, the plain scrape client's response parser,
// on any bytes from a server. The first byte picks a piece size; the response
// is read once whole, once in pieces of that size, and once in such pieces
// the way PlainHttpConnection reads into a sink's room (the first piece's
// head parsed where it lies and its body left in place behind it; later
// pieces of a raw body received in place), and all three readings must agree
// on the outcome, the body and the error: TCP may split a response anywhere.
#include <algorithm>
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

// What arrived in the sink's room, and the reader's word on how much of it is body.
struct InPlaceReading : Reading {
  bool on_body_in_place(size_t skip, size_t bytes) override {
    body.append(room.substr(skip, bytes));
    return body.size() < (size_t{1} << 22);
  }
  std::string_view room;
};

void read_in_place(std::string_view wire, size_t piece_size, InPlaceReading& reading) {
  mc::HttpResponseReader reader;
  bool first = true;
  for (size_t at = 0; at < wire.size() && !reader.done() && !reader.failed();) {
    const uint64_t raw = reader.raw_body_remaining();
    // A receive into the room of a raw body takes no more than the body.
    const size_t size =
        raw > 0 && !first ? static_cast<size_t>(std::min<uint64_t>(raw, piece_size)) : piece_size;
    const std::string_view piece = wire.substr(at, size);
    at += piece.size();
    reading.room = piece;
    if (first) {
      first = false;
      const size_t head = reader.feed_head_only(piece, reading);
      const size_t rest = piece.size() - head;
      if (rest > 0 && rest <= reader.raw_body_remaining()) {
        reader.body_received_in_place(head, rest, reading);
      } else {
        reader.feed(piece.substr(head), reading);
      }
    } else if (raw > 0) {
      reader.body_received_in_place(0, piece.size(), reading);
    } else {
      reader.feed(piece, reading);
    }
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
  InPlaceReading in_place;
  read_in_place(wire, piece_size, in_place);
  if (whole.state != in_place.state || whole.body != in_place.body ||
      whole.error != in_place.error) {
    std::abort();
  }
  return 0;
}
