// HttpResponseReader: one HTTP/1.x response read from a connection's bytes as
// they arrive: the status line and headers, then the body by its framing
// (Content-Length, chunked, or until the connection closes), gunzipped when
// its Content-Encoding is gzip. Each decoded piece of body goes to a sink as
// soon as it is decoded, so a body is never held twice and the sink can stop
// a response early (a size or sample limit).
//
// It is the reading half of the scrape client of our own for plain http://
// targets (PlainHttpConnection), and reads what Go's net/http client reads
// from a server: interim 1xx responses are skipped, trailers are read and
// dropped, concatenated gzip members are one body, and anything else (an
// unknown transfer or content coding, a malformed head or chunk) fails the
// response with a message saying what was wrong.
//
// Thread-safety: not thread-safe; one response at a time.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mc {

class HttpResponseReader;

// Where a response's head and decoded body go.
class HttpResponseSink {
 public:
  virtual ~HttpResponseSink() = default;
  // The final (non-1xx) response head has been read; false stops the response.
  virtual bool on_head(const HttpResponseReader& response) = 0;
  // A piece of decoded body; false stops the response.
  virtual bool on_body(std::string_view piece) = 0;
  // Room for a whole response, head and body, to be received straight into
  // (sized from the last response); empty to receive into a buffer of the
  // connection's. What arrives is then taken by on_body_in_place() with the
  // head's length as `skip`, or given back with on_body_in_place(0, 0). The
  // body behind the head is taken from it after on_head(), so on_head() must
  // not move it.
  virtual std::span<char> response_space() { return {}; }
  // Room at the end of the body for up to `bytes` of undecoded body to be
  // received straight into, sparing a copy; empty to take on_body() pieces.
  virtual std::span<char> body_space(size_t bytes) {
    (void)bytes;
    return {};
  }
  // `bytes` of body were received into the last body_space() or
  // response_space(), after `skip` bytes that are not body (the head, in a
  // response_space()); the rest of it is given back. False stops the response.
  virtual bool on_body_in_place(size_t skip, size_t bytes) {
    (void)skip;
    (void)bytes;
    return false;
  }
};

class HttpResponseReader {
 public:
  enum class State { head, body, done, failed };

  HttpResponseReader();
  ~HttpResponseReader();
  HttpResponseReader(const HttpResponseReader&) = delete;
  HttpResponseReader& operator=(const HttpResponseReader&) = delete;

  // Readies the reader for the next response.
  void reset();

  // Reads `bytes` received from the connection. Returns how many belong to
  // this response: fewer than given when the response ended before them.
  size_t feed(std::string_view bytes, HttpResponseSink& sink);
  // As feed(), but stops where the final response's head ends.
  size_t feed_head_only(std::string_view bytes, HttpResponseSink& sink);
  // While the body is read by its Content-Length without decoding: the bytes
  // still to come, which may go straight into the sink's body_space() (0
  // otherwise).
  uint64_t raw_body_remaining() const {
    return state_ == State::body && framing_ == Framing::length && !inflate_ ? body_remaining_ : 0;
  }
  // `bytes` of the body were received into the sink's body_space(), or into
  // its response_space() after the `skip` bytes of the head.
  // REQUIRES: 0 < bytes <= raw_body_remaining().
  void body_received_in_place(size_t skip, size_t bytes, HttpResponseSink& sink);
  // The server closed the connection: ends a body read until the close, and
  // fails a response cut short.
  void end_of_stream();

  State state() const { return state_; }
  bool done() const { return state_ == State::done; }
  bool failed() const { return state_ == State::failed; }
  // Whether nothing of the response has arrived yet.
  bool nothing_received() const { return state_ == State::head && head_.empty() && !skipped_; }
  // REQUIRES: failed(). What went wrong, and its scrape failure reason:
  // "connection" (cut short, malformed), "encoding" (gzip) or "stopped" (the
  // sink said stop).
  const std::string& error() const { return error_; }
  std::string_view failure_reason() const { return failure_reason_; }

  // The head, once read.
  int status_code() const { return status_code_; }
  const std::string& reason_phrase() const { return reason_phrase_; }
  const std::string& content_type() const { return content_type_; }
  const std::string& location() const { return location_; }
  std::optional<uint64_t> content_length() const { return content_length_; }
  bool gzipped() const { return gzipped_; }
  // Whether the connection may carry another request after this response.
  bool keep_alive() const { return keep_alive_; }

 private:
  enum class Framing { none, length, chunked, until_close };
  enum class ChunkState { size_line, data, data_end, trailers };

  size_t feed_head(std::string_view bytes, HttpResponseSink& sink);
  // The head kept so far has not ended after `fed` more bytes: fails it past
  // the limit; returns `fed`.
  size_t head_goes_on(size_t fed);
  bool parse_head(std::string_view head);
  bool parse_header(std::string_view name, std::string_view value);
  size_t feed_body(std::string_view bytes, HttpResponseSink& sink);
  size_t feed_chunked(std::string_view bytes, HttpResponseSink& sink);
  // Decodes (gunzips) and hands a piece of body to the sink.
  bool deliver(std::string_view piece, HttpResponseSink& sink);
  bool finish_body();
  void fail(std::string message, std::string_view reason);

  State state_ = State::head;
  std::string head_;      // a head split across reads, so far
  bool skipped_ = false;  // an interim 1xx response was read
  int status_code_ = 0;
  std::string reason_phrase_;
  std::string content_type_;
  std::string location_;
  std::optional<uint64_t> content_length_;
  bool chunked_ = false;
  bool gzipped_ = false;
  bool keep_alive_ = true;
  bool connection_close_ = false;
  bool connection_keep_alive_ = false;
  bool http10_ = false;

  Framing framing_ = Framing::none;
  uint64_t body_remaining_ = 0;  // Framing::length, or the current chunk's data
  ChunkState chunk_state_ = ChunkState::size_line;
  std::string chunk_line_;  // a chunk-size or trailer line split across reads

  // Inflate state, allocated when a gzipped body begins and freed when it ends
  // (zlib's window is 32 KiB: not to be held per kept-alive connection).
  std::unique_ptr<z_stream> inflate_;
  bool inflate_ended_ = false;  // the last gzip member ended at its trailer

  std::string error_;
  std::string_view failure_reason_;
};

}  // namespace mc
