#include "collector/http_client/http_response_reader.hpp"

#include <fmt/format.h>
#include <strings.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "common/util/http_header.hpp"

namespace mc {

namespace {

// Go's http.Transport reads at most this much head (MaxResponseHeaderBytes
// unset: 10 MiB); a kept-alive target holds none of it between responses.
constexpr size_t kMaxHeadBytes = size_t{1} << 20;
// A chunk-size line or a trailer line; Go allows 4 KiB for the former.
constexpr size_t kMaxChunkLineBytes = 4096;
// Inflated bytes handed to the sink at a time.
constexpr size_t kInflateBufferBytes = 64 * 1024;

// A line of the head or of a chunked body: without its CR (Go reads bare LFs
// too) and the whitespace around it.
std::string_view trim(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return trim_header_whitespace(line);
}

// Just past the empty line that ends a head in `text` ("\r\n\r\n", or "\n\n":
// Go reads bare LFs too), looking from `from`; npos while the head goes on.
size_t find_head_end(std::string_view text, size_t from) {
  for (size_t at = text.find('\n', from); at != std::string_view::npos;
       at = text.find('\n', at + 1)) {
    if (at + 1 < text.size() && text[at + 1] == '\n') return at + 2;
    if (at + 2 < text.size() && text[at + 1] == '\r' && text[at + 2] == '\n') return at + 3;
  }
  return std::string_view::npos;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// The one buffer gunzipped bytes pass through on their way to a sink: the
// readers of a thread take turns with it, so it costs 64 KiB per thread, not
// per target.
char* inflate_buffer() {
  thread_local std::unique_ptr<std::array<char, kInflateBufferBytes>> buffer;
  if (!buffer) buffer = std::make_unique<std::array<char, kInflateBufferBytes>>();
  return buffer->data();
}

}  // namespace

HttpResponseReader::HttpResponseReader() = default;

HttpResponseReader::~HttpResponseReader() {
  if (inflate_) inflateEnd(inflate_.get());
}

void HttpResponseReader::reset() {
  state_ = State::head;
  head_.clear();
  if (head_.capacity() > 4096) std::string().swap(head_);
  skipped_ = false;
  status_code_ = 0;
  reason_phrase_.clear();
  content_type_.clear();
  location_.clear();
  content_length_.reset();
  chunked_ = false;
  gzipped_ = false;
  keep_alive_ = true;
  connection_close_ = false;
  connection_keep_alive_ = false;
  http10_ = false;
  framing_ = Framing::none;
  body_remaining_ = 0;
  chunk_state_ = ChunkState::size_line;
  chunk_line_.clear();
  if (inflate_) {
    inflateEnd(inflate_.get());
    inflate_.reset();
  }
  inflate_ended_ = false;
  error_.clear();
  failure_reason_ = {};
}

void HttpResponseReader::fail(std::string message, std::string_view reason) {
  state_ = State::failed;
  error_ = std::move(message);
  failure_reason_ = reason;
  keep_alive_ = false;
  if (inflate_) {
    inflateEnd(inflate_.get());
    inflate_.reset();
  }
}

size_t HttpResponseReader::feed(std::string_view bytes, HttpResponseSink& sink) {
  size_t consumed = 0;
  while (consumed < bytes.size() && (state_ == State::head || state_ == State::body)) {
    const std::string_view rest = bytes.substr(consumed);
    consumed += state_ == State::head ? feed_head(rest, sink) : feed_body(rest, sink);
  }
  return consumed;
}

size_t HttpResponseReader::feed_head_only(std::string_view bytes, HttpResponseSink& sink) {
  size_t consumed = 0;
  while (consumed < bytes.size() && state_ == State::head) {
    consumed += feed_head(bytes.substr(consumed), sink);
  }
  return consumed;
}

size_t HttpResponseReader::feed_head(std::string_view bytes, HttpResponseSink& sink) {
  const size_t old_size = head_.size();
  const size_t room = kMaxHeadBytes - old_size;
  std::string_view head;
  size_t consumed = 0;
  if (old_size == 0) {
    // The whole head in one read, as nearly always: parsed where it lies, so
    // the body read with it is not copied (a 1,000-series page is ~90 KB).
    const std::string_view within = bytes.substr(0, room);
    const size_t end = find_head_end(within, 0);
    if (end == std::string_view::npos) {
      head_.assign(within);
      return head_goes_on(bytes.size());
    }
    head = within.substr(0, end);
    consumed = end;
  } else {
    // The head's end may straddle the reads: the old tail is searched again.
    head_.append(bytes.data(), std::min(bytes.size(), room));
    const size_t end = find_head_end(head_, old_size > 2 ? old_size - 2 : 0);
    if (end == std::string::npos) return head_goes_on(bytes.size());
    head_.resize(end);
    head = head_;
    consumed = end - old_size;
  }
  if (!parse_head(head)) return consumed;
  if (status_code_ >= 100 && status_code_ < 200) {
    // An interim response (103 Early Hints, an unasked-for 100): the final one follows.
    head_.clear();
    skipped_ = true;
    return consumed;
  }
  if (!sink.on_head(*this)) {
    fail("stopped after the response head", "stopped");
    return consumed;
  }
  keep_alive_ = http10_ ? connection_keep_alive_ && !connection_close_ : !connection_close_;
  if (status_code_ == 204 || status_code_ == 304) {
    framing_ = Framing::none;
  } else if (chunked_) {
    framing_ = Framing::chunked;
  } else if (content_length_) {
    framing_ = Framing::length;
    body_remaining_ = *content_length_;
  } else {
    framing_ = Framing::until_close;
    keep_alive_ = false;
  }
  if (gzipped_ && framing_ != Framing::none) {
    inflate_ = std::make_unique<z_stream>();
    // 16 + MAX_WBITS: gzip members only, as Go's gzip.Reader.
    if (inflateInit2(inflate_.get(), 16 + MAX_WBITS) != Z_OK) {
      inflate_.reset();
      fail("cannot start gzip decoding", "encoding");
      return consumed;
    }
  }
  state_ = State::body;
  if (framing_ == Framing::none || (framing_ == Framing::length && body_remaining_ == 0)) {
    finish_body();
  }
  return consumed;
}

size_t HttpResponseReader::head_goes_on(size_t fed) {
  if (head_.size() >= kMaxHeadBytes) {
    fail(fmt::format("the response head is longer than {} bytes", kMaxHeadBytes), "connection");
  }
  return fed;
}

bool HttpResponseReader::parse_head(std::string_view head) {
  size_t line_end = head.find('\n');
  const std::string_view status_line = trim(head.substr(0, line_end));
  // "HTTP/1.1 200 OK"; the reason phrase may be missing.
  if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.") || status_line[8] != ' ' ||
      !std::all_of(status_line.begin() + 9, status_line.begin() + 12,
                   [](char c) { return c >= '0' && c <= '9'; }) ||
      (status_line.size() > 12 && status_line[12] != ' ')) {
    fail(fmt::format("malformed HTTP response \"{}\"", status_line.substr(0, 64)), "connection");
    return false;
  }
  http10_ = status_line[7] == '0';
  status_code_ =
      (status_line[9] - '0') * 100 + (status_line[10] - '0') * 10 + (status_line[11] - '0');
  reason_phrase_ = status_line.size() > 12 ? std::string(trim(status_line.substr(13))) : "";
  if (status_code_ == 101) {
    fail("unexpected 101 Switching Protocols", "connection");
    return false;
  }
  while (line_end != std::string_view::npos && line_end + 1 < head.size()) {
    const size_t start = line_end + 1;
    line_end = head.find('\n', start);
    const std::string_view line = trim(head.substr(start, line_end - start));
    if (line.empty()) break;                                  // the head's end
    if (head[start] == ' ' || head[start] == '\t') continue;  // obsolete folding: dropped
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 ||
        line.substr(0, colon).find_first_of(" \t") != std::string_view::npos) {
      fail(fmt::format("malformed HTTP response header \"{}\"", line.substr(0, 64)), "connection");
      return false;
    }
    if (!parse_header(line.substr(0, colon), trim(line.substr(colon + 1)))) return false;
  }
  return true;
}

bool HttpResponseReader::parse_header(std::string_view name, std::string_view value) {
  if (equals_ignoring_case(name, "content-length")) {
    uint64_t length = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (value.empty() || error != std::errc() || end != value.data() + value.size() ||
        (content_length_ && *content_length_ != length)) {
      fail(fmt::format("bad Content-Length \"{}\"", value.substr(0, 64)), "connection");
      return false;
    }
    content_length_ = length;
  } else if (equals_ignoring_case(name, "transfer-encoding")) {
    if (!equals_ignoring_case(value, "chunked")) {
      fail(fmt::format("unsupported Transfer-Encoding \"{}\"", value.substr(0, 64)), "connection");
      return false;
    }
    chunked_ = true;
  } else if (equals_ignoring_case(name, "content-encoding")) {
    if (equals_ignoring_case(value, "gzip") || equals_ignoring_case(value, "x-gzip")) {
      gzipped_ = true;
    } else if (!value.empty() && !equals_ignoring_case(value, "identity")) {
      fail(fmt::format("unsupported Content-Encoding \"{}\"", value.substr(0, 64)), "encoding");
      return false;
    }
  } else if (equals_ignoring_case(name, "content-type")) {
    content_type_ = std::string(value);
  } else if (equals_ignoring_case(name, "location")) {
    location_ = std::string(value);
  } else if (equals_ignoring_case(name, "connection")) {
    for (const HeaderElement& option : parse_header_list(value)) {
      if (option.value == "close") connection_close_ = true;
      if (option.value == "keep-alive") connection_keep_alive_ = true;
    }
  }
  return true;
}

size_t HttpResponseReader::feed_body(std::string_view bytes, HttpResponseSink& sink) {
  switch (framing_) {
    case Framing::chunked:
      return feed_chunked(bytes, sink);
    case Framing::length: {
      const size_t take = static_cast<size_t>(std::min<uint64_t>(body_remaining_, bytes.size()));
      body_remaining_ -= take;
      if (!deliver(bytes.substr(0, take), sink)) return take;
      if (body_remaining_ == 0) finish_body();
      return take;
    }
    case Framing::until_close:
      deliver(bytes, sink);
      return bytes.size();
    case Framing::none:
      break;
  }
  return 0;
}

void HttpResponseReader::body_received_in_place(size_t skip, size_t bytes, HttpResponseSink& sink) {
  body_remaining_ -= bytes;
  if (!sink.on_body_in_place(skip, bytes)) {
    fail("stopped in the body", "stopped");
    return;
  }
  if (body_remaining_ == 0) finish_body();
}

size_t HttpResponseReader::feed_chunked(std::string_view bytes, HttpResponseSink& sink) {
  size_t at = 0;
  while (at < bytes.size() && state_ == State::body) {
    if (chunk_state_ == ChunkState::data) {
      const size_t take =
          static_cast<size_t>(std::min<uint64_t>(body_remaining_, bytes.size() - at));
      body_remaining_ -= take;
      if (!deliver(bytes.substr(at, take), sink)) return at + take;
      at += take;
      if (body_remaining_ == 0) chunk_state_ = ChunkState::data_end;
      continue;
    }
    // A line: the chunk's size, the CRLF after its data, or a trailer.
    const size_t newline = bytes.find('\n', at);
    const size_t piece_end = newline == std::string_view::npos ? bytes.size() : newline;
    if (chunk_line_.size() + (piece_end - at) > kMaxChunkLineBytes) {
      fail("malformed chunked body: a line longer than 4096 bytes", "connection");
      return piece_end;
    }
    chunk_line_.append(bytes.data() + at, piece_end - at);
    if (newline == std::string_view::npos) return bytes.size();
    at = newline + 1;
    std::string_view line = trim(chunk_line_);
    switch (chunk_state_) {
      case ChunkState::size_line: {
        line = trim(line.substr(0, line.find(';')));  // chunk extensions are ignored
        uint64_t size = 0;
        const auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
        if (line.empty() || error != std::errc() || end != line.data() + line.size()) {
          fail(fmt::format("malformed chunked body: bad chunk size \"{}\"", line.substr(0, 32)),
               "connection");
          return at;
        }
        body_remaining_ = size;
        chunk_state_ = size == 0 ? ChunkState::trailers : ChunkState::data;
        break;
      }
      case ChunkState::data_end:
        if (!line.empty()) {
          fail("malformed chunked body: a chunk's data is longer than its size", "connection");
          return at;
        }
        chunk_state_ = ChunkState::size_line;
        break;
      case ChunkState::trailers:
        if (line.empty()) {
          chunk_line_.clear();
          finish_body();
          return at;
        }
        break;  // a trailer: read and dropped
      case ChunkState::data:
        break;
    }
    chunk_line_.clear();
  }
  return at;
}

bool HttpResponseReader::deliver(std::string_view piece, HttpResponseSink& sink) {
  if (piece.empty()) return true;
  if (!inflate_) {
    if (sink.on_body(piece)) return true;
    fail("stopped in the body", "stopped");
    return false;
  }
  z_stream& stream = *inflate_;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
  stream.avail_in = static_cast<uInt>(piece.size());
  char* const out = inflate_buffer();
  while (true) {
    if (inflate_ended_) {
      if (stream.avail_in == 0) return true;
      // Another gzip member follows: Go's reader reads them all as one body.
      inflateReset(&stream);
      inflate_ended_ = false;
    }
    stream.next_out = reinterpret_cast<Bytef*>(out);
    stream.avail_out = static_cast<uInt>(kInflateBufferBytes);
    const int result = inflate(&stream, Z_NO_FLUSH);
    const size_t produced = kInflateBufferBytes - stream.avail_out;
    if (produced > 0 && !sink.on_body(std::string_view(out, produced))) {
      fail("stopped in the body", "stopped");
      return false;
    }
    if (result == Z_STREAM_END) {
      inflate_ended_ = true;
      continue;
    }
    if (result == Z_BUF_ERROR && stream.avail_in == 0) return true;
    if (result != Z_OK) {
      fail(fmt::format("invalid gzip body: {}", stream.msg != nullptr ? stream.msg : "error"),
           "encoding");
      return false;
    }
    if (stream.avail_out != 0 && stream.avail_in == 0) return true;
  }
}

bool HttpResponseReader::finish_body() {
  if (inflate_) {
    // An empty body is no gzip stream at all; a started one must be whole.
    if (!inflate_ended_ && inflate_->total_in > 0) {
      fail("invalid gzip body: unexpected end of the gzip stream", "encoding");
      return false;
    }
    inflateEnd(inflate_.get());
    inflate_.reset();
  }
  state_ = State::done;
  return true;
}

void HttpResponseReader::end_of_stream() {
  switch (state_) {
    case State::head:
      if (nothing_received()) {
        fail("the server closed the connection without a response (empty reply)", "connection");
      } else {
        fail("the server closed the connection in the middle of the response head", "connection");
      }
      return;
    case State::body:
      if (framing_ == Framing::until_close) {
        finish_body();
      } else if (framing_ == Framing::length) {
        fail(fmt::format("transfer closed with {} bytes remaining to read", body_remaining_),
             "connection");
      } else {
        fail("transfer closed with outstanding read data remaining (chunked body cut short)",
             "connection");
      }
      return;
    case State::done:
    case State::failed:
      return;
  }
}

}  // namespace mc
