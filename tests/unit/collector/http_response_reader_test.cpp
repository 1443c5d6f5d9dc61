// HttpResponseReader: the plain scrape client's response parsing, fed whole
// and one split at every byte (a response arrives in whatever pieces TCP
// gives), and PlainHttpEndpoint: which URLs the plain client takes.
#include "collector/http_client/http_response_reader.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "collector/http_client/plain_http_connection.hpp"
#include "exporter/gzip.hpp"

namespace http_response_reader_test {

using mc::HttpResponseReader;

struct CollectingSink : mc::HttpResponseSink {
  bool on_head(const HttpResponseReader& response) override {
    ++heads;
    status = response.status_code();
    return !stop_at_head;
  }
  bool on_body(std::string_view piece) override {
    body.append(piece);
    return stop_after_bytes == 0 || body.size() < stop_after_bytes;
  }
  int heads = 0;
  int status = 0;
  std::string body;
  bool stop_at_head = false;
  size_t stop_after_bytes = 0;
};

struct Outcome {
  HttpResponseReader::State state;
  std::string body;
  std::string error;
  std::string reason;
  size_t consumed = 0;
  int heads = 0;
  int status = 0;
  bool keep_alive = false;
  std::string content_type;
};

// Feeds `wire` in pieces of `piece_size` (0: whole), then ends the stream
// when `close` (the server hung up).
Outcome read_response(const std::string& wire, size_t piece_size = 0, bool close = false) {
  HttpResponseReader reader;
  CollectingSink sink;
  Outcome outcome;
  const size_t step = piece_size == 0 ? wire.size() : piece_size;
  for (size_t at = 0; at < wire.size(); at += step) {
    outcome.consumed += reader.feed(std::string_view(wire).substr(at, step), sink);
    if (reader.done() || reader.failed()) break;
  }
  if (close) reader.end_of_stream();
  outcome.state = reader.state();
  outcome.body = sink.body;
  outcome.heads = sink.heads;
  outcome.status = reader.status_code();
  outcome.keep_alive = reader.keep_alive();
  outcome.content_type = reader.content_type();
  if (reader.failed()) {
    outcome.error = reader.error();
    outcome.reason = std::string(reader.failure_reason());
  }
  return outcome;
}

// The same response read whole and split at every possible size must agree.
void check_every_split(const std::string& wire, const std::string& expected_body,
                       bool close = false) {
  for (size_t piece = 0; piece <= wire.size(); piece = piece == 0 ? 1 : piece + 1) {
    INFO("piece size " << piece);
    const Outcome outcome = read_response(wire, piece, close);
    REQUIRE(outcome.error.empty());
    REQUIRE(outcome.state == HttpResponseReader::State::done);
    REQUIRE(outcome.body == expected_body);
    if (piece > 64) piece += piece / 4;  // fewer sizes once pieces are large
  }
}

std::string gzipped(std::string_view text) {
  std::string out;
  REQUIRE(mc::gzip_compress(text, out).is_ok());
  return out;
}

}  // namespace http_response_reader_test

using http_response_reader_test::check_every_split;
using http_response_reader_test::gzipped;
using http_response_reader_test::read_response;
using State = mc::HttpResponseReader::State;

TEST_CASE("a response with Content-Length is read whole in any pieces", "[http_response]") {
  const std::string body = "up 1\nother{a=\"b\"} 2.5\n";
  const std::string wire = fmt::format(
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\n\r\n{}",
      body.size(), body);
  check_every_split(wire, body);
  const auto outcome = read_response(wire);
  CHECK(outcome.consumed == wire.size());
  CHECK(outcome.keep_alive);
  CHECK(outcome.status == 200);
  CHECK(outcome.content_type == "text/plain; version=0.0.4");
}

TEST_CASE("a chunked response with extensions and trailers is read in any pieces",
          "[http_response]") {
  const std::string wire =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=value\r\nup 1\n\r\n"
      "B\r\nmetric 2.5\n\r\n"
      "0\r\nX-Trailer: yes\r\n\r\n";
  check_every_split(wire, "up 1\nmetric 2.5\n");
  CHECK(read_response(wire).consumed == wire.size());
}

TEST_CASE("bare LF line ends are read as Go reads them", "[http_response]") {
  check_every_split("HTTP/1.1 200 OK\nContent-Length: 3\n\nab\n", "ab\n");
  check_every_split("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nab\n0\n\n", "ab");
}

TEST_CASE("a gzipped body is decoded, whether framed by length or chunks", "[http_response]") {
  std::string page;
  for (int i = 0; i < 2000; ++i) page += fmt::format("series_{} {}\n", i, i * 3);
  const std::string zipped = gzipped(page);
  check_every_split(fmt::format("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
                                "Content-Length: {}\r\n\r\n{}",
                                zipped.size(), zipped),
                    page);
  const size_t half = zipped.size() / 2;
  check_every_split(
      fmt::format("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{}\r\n{:x}\r\n{}\r\n0\r\n\r\n",
                  half, zipped.substr(0, half), zipped.size() - half, zipped.substr(half)),
      page);
}

TEST_CASE("concatenated gzip members are one body, as Go's reader reads them", "[http_response]") {
  const std::string zipped = gzipped("first 1\n") + gzipped("second 2\n");
  check_every_split(fmt::format("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
                                "Content-Length: {}\r\n\r\n{}",
                                zipped.size(), zipped),
                    "first 1\nsecond 2\n");
}

TEST_CASE("a body without a length ends when the server closes", "[http_response]") {
  const std::string wire = "HTTP/1.1 200 OK\r\n\r\nup 1\n";
  check_every_split(wire, "up 1\n", /*close=*/true);
  const auto open = read_response(wire);
  CHECK(open.state == State::body);  // still waiting for the close
  CHECK_FALSE(read_response(wire, 0, true).keep_alive);
}

TEST_CASE("keep-alive follows the version and the Connection header", "[http_response]") {
  CHECK(read_response("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").keep_alive);
  CHECK_FALSE(read_response("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                  .keep_alive);
  CHECK_FALSE(read_response("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keep_alive);
  CHECK(read_response("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n")
            .keep_alive);
}

TEST_CASE("interim 1xx responses are skipped, 204 has no body", "[http_response]") {
  const auto early = read_response(
      "HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  CHECK(early.state == State::done);
  CHECK(early.body == "ok");
  CHECK(early.heads == 1);
  const auto empty = read_response("HTTP/1.1 204 No Content\r\n\r\n");
  CHECK(empty.state == State::done);
  CHECK(empty.status == 204);
  CHECK(empty.keep_alive);
}

TEST_CASE("bytes after the response are not taken", "[http_response]") {
  const std::string response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  const auto outcome = read_response(response + "HTTP/1.1 200 OK\r\n");
  CHECK(outcome.state == State::done);
  CHECK(outcome.consumed == response.size());
}

TEST_CASE("a response cut short fails with what was missing", "[http_response]") {
  const auto cut = read_response("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 0, true);
  CHECK(cut.state == State::failed);
  CHECK(cut.reason == "connection");
  CHECK(cut.error == "transfer closed with 7 bytes remaining to read");
  const auto chunked =
      read_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", 0, true);
  CHECK(chunked.reason == "connection");
  CHECK_THAT(chunked.error, Catch::StartsWith("transfer closed"));
  const auto head = read_response("HTTP/1.1 200 OK\r\nContent-Le", 0, true);
  CHECK_THAT(head.error, Catch::Contains("middle of the response head"));
  const auto nothing = read_response("", 0, true);
  CHECK(nothing.reason == "connection");
  CHECK_THAT(nothing.error, Catch::Contains("without a response"));
}

TEST_CASE("malformed heads and framings fail with the offending text", "[http_response]") {
  struct Case {
    std::string wire;
    std::string error;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"<html>hello</html>\r\n\r\n", "malformed HTTP response \"<html>hello</html>\"",
       "connection"},
      {"HTTP/1.1 2000 OK\r\n\r\n", "malformed HTTP response", "connection"},
      {"HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n", "bad Content-Length \"ten\"",
       "connection"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
       "bad Content-Length \"2\"", "connection"},
      {"HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n", "malformed HTTP response header", "connection"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
       "unsupported Transfer-Encoding \"gzip\"", "connection"},
      {"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 1\r\n\r\nx",
       "unsupported Content-Encoding \"br\"", "encoding"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
       "malformed chunked body: bad chunk size \"zz\"", "connection"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
       "a chunk's data is longer than its size", "connection"},
      {"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 16\r\n\r\nthis is not gzip",
       "invalid gzip body", "encoding"},
      {"HTTP/1.1 101 Switching Protocols\r\n\r\n", "unexpected 101", "connection"},
  };
  for (const auto& test : cases) {
    INFO(test.wire);
    const auto outcome = read_response(test.wire, 0, true);
    CHECK(outcome.state == State::failed);
    CHECK_THAT(outcome.error, Catch::Contains(test.error));
    CHECK(outcome.reason == test.reason);
  }
}

TEST_CASE("a gzip stream cut short fails as an encoding error", "[http_response]") {
  const std::string zipped = gzipped("up 1\nother 2\n");
  const std::string part = zipped.substr(0, zipped.size() - 6);
  const auto outcome = read_response(
      fmt::format("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n{}",
                  part.size(), part));
  CHECK(outcome.state == State::failed);
  CHECK(outcome.reason == "encoding");
  CHECK_THAT(outcome.error, Catch::Contains("unexpected end"));
}

TEST_CASE("a head longer than 1 MiB fails without growing further", "[http_response]") {
  std::string wire = "HTTP/1.1 200 OK\r\n";
  while (wire.size() < (size_t{1} << 20) + 100) wire += "X-Filler: 0123456789abcdef\r\n";
  const auto outcome = read_response(wire, 4096);
  CHECK(outcome.state == State::failed);
  CHECK_THAT(outcome.error, Catch::Contains("response head is longer"));
}

TEST_CASE("a sink that says stop ends the response", "[http_response]") {
  mc::HttpResponseReader reader;
  http_response_reader_test::CollectingSink sink;
  sink.stop_after_bytes = 4;
  const std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
  reader.feed(std::string_view(wire).substr(0, wire.size() - 6), sink);
  CHECK(reader.failed());
  CHECK(reader.failure_reason() == "stopped");
  CHECK_FALSE(reader.keep_alive());

  reader.reset();
  http_response_reader_test::CollectingSink at_head;
  at_head.stop_at_head = true;
  reader.feed(wire, at_head);
  CHECK(reader.failure_reason() == "stopped");
  CHECK(at_head.body.empty());
}

TEST_CASE("the plain client takes http:// URLs with an IP address and a port", "[http_response]") {
  auto v4 = mc::PlainHttpEndpoint::of("http://127.0.0.1:9100/metrics?format=x");
  REQUIRE(v4);
  CHECK(v4->authority == "127.0.0.1:9100");
  CHECK(v4->request_target == "/metrics?format=x");
  CHECK(v4->address.ss_family == AF_INET);
  auto v6 = mc::PlainHttpEndpoint::of("http://[::1]:8080/m");
  REQUIRE(v6);
  CHECK(v6->authority == "[::1]:8080");
  CHECK(v6->address.ss_family == AF_INET6);
  auto query_only = mc::PlainHttpEndpoint::of("http://10.0.0.1:80?a=b");
  REQUIRE(query_only);
  CHECK(query_only->request_target == "/?a=b");

  // libcurl's: names to resolve, TLS, user information, fragments, odd ports.
  CHECK_FALSE(mc::PlainHttpEndpoint::of("http://localhost:9100/metrics"));
  CHECK_FALSE(mc::PlainHttpEndpoint::of("https://127.0.0.1:9100/metrics"));
  CHECK_FALSE(mc::PlainHttpEndpoint::of("http://user:pass@127.0.0.1:9100/metrics"));
  CHECK_FALSE(mc::PlainHttpEndpoint::of("http://127.0.0.1:9100/metrics#x"));
  CHECK_FALSE(mc::PlainHttpEndpoint::of("http://127.0.0.1/metrics"));
  CHECK_FALSE(mc::PlainHttpEndpoint::of("http://127.0.0.1:0/metrics"));
  CHECK_FALSE(mc::PlainHttpEndpoint::of("http://127.0.0.1:99999/metrics"));
  CHECK_FALSE(mc::PlainHttpEndpoint::of("http://[fe80::1%eth0]:80/metrics"));
}

TEST_CASE("a body of known length may be received straight into the sink", "[http_response]") {
  struct InPlaceSink : http_response_reader_test::CollectingSink {
    std::span<char> body_space(size_t bytes) override {
      start = body.size();
      body.resize(start + bytes);
      return {body.data() + start, bytes};
    }
    bool on_body_in_place(size_t skip, size_t bytes) override {
      REQUIRE(skip == 0);
      body.resize(start + bytes);
      return true;
    }
    size_t start = 0;
  };
  mc::HttpResponseReader reader;
  InPlaceSink sink;
  CHECK(reader.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123", sink) == 43);
  REQUIRE(reader.raw_body_remaining() == 6);
  // What a connection does: ask for room, receive into part of it, give the rest back.
  auto space = sink.body_space(6);
  std::memcpy(space.data(), "456", 3);
  reader.body_received_in_place(0, 3, sink);
  CHECK(reader.raw_body_remaining() == 3);
  space = sink.body_space(3);
  std::memcpy(space.data(), "789", 3);
  reader.body_received_in_place(0, 3, sink);
  CHECK(reader.done());
  CHECK(sink.body == "0123456789");
  CHECK(reader.raw_body_remaining() == 0);

  // Not for a gzipped or chunked body: those are decoded piece by piece.
  reader.reset();
  reader.feed("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\n", sink);
  CHECK(reader.raw_body_remaining() == 0);
  reader.reset();
  reader.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", sink);
  CHECK(reader.raw_body_remaining() == 0);
}

TEST_CASE("a whole response may be received into the sink, its head parsed where it lies",
          "[http_response]") {
  // What HttpScraper does with a response_space(): the head's bytes are
  // dropped from the front of what arrived, the body stays behind them.
  struct WholeResponseSink : http_response_reader_test::CollectingSink {
    std::span<char> response_space() override {
      space.assign(128, '\0');
      return {space.data(), space.size()};
    }
    bool on_body_in_place(size_t skip, size_t bytes) override {
      body.append(space, skip, bytes);
      space.clear();
      return true;
    }
    std::string space;
  };
  mc::HttpResponseReader reader;
  WholeResponseSink sink;
  const std::string response =
      "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123";
  auto space = sink.response_space();
  REQUIRE(space.size() >= response.size());
  std::memcpy(space.data(), response.data(), response.size());
  // The interim response and the final head, and no body byte.
  const size_t head = reader.feed_head_only(std::string_view(space.data(), response.size()), sink);
  CHECK(head == response.size() - 4);
  CHECK(reader.status_code() == 200);
  REQUIRE(reader.raw_body_remaining() == 10);
  reader.body_received_in_place(head, 4, sink);
  CHECK(reader.raw_body_remaining() == 6);
  CHECK(reader.feed("456789", sink) == 6);
  CHECK(reader.done());
  CHECK(sink.body == "0123456789");

  // A head split across reads is kept until it ends, whatever the split.
  const std::string whole = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nab";
  for (size_t split = 1; split < whole.size() - 2; ++split) {
    reader.reset();
    http_response_reader_test::CollectingSink pieces;
    CHECK(reader.feed_head_only(whole.substr(0, split), pieces) == split);
    CHECK(reader.state() == mc::HttpResponseReader::State::head);
    CHECK(reader.feed_head_only(whole.substr(split), pieces) == whole.size() - 2 - split);
    CHECK(reader.raw_body_remaining() == 2);
    CHECK(reader.feed("ab", pieces) == 2);
    CHECK(pieces.body == "ab");
  }
}
