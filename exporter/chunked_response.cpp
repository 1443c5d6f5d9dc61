#include "exporter/chunked_response.hpp"

#include <civetweb.h>

#include <charconv>
#include <ctime>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "common/util/logger.hpp"
#include "exporter/body_buffer.hpp"
#include "exporter/response_header.hpp"

namespace mc {

namespace {

// Appends one chunk (size line, data, CRLF) to `framed` and sends it all in
// one write, where civetweb's mg_send_chunk makes three: with TCP_NODELAY
// each would be a packet of its own, and the last chunk's 5 bytes one more.
// `framed` may start with the response header (the first chunk carries it);
// it is emptied and reused between chunks. An empty `piece` is the last chunk.
bool send_chunk(mg_connection* connection, std::string_view piece, std::string& framed) {
  char size_line[24];
  const auto converted =
      std::to_chars(size_line, size_line + sizeof(size_line) - 2, piece.size(), 16);
  framed.append(size_line, converted.ptr);
  framed += "\r\n";
  framed += piece;
  framed += "\r\n";
  const bool sent =
      mg_write(connection, framed.data(), framed.size()) == static_cast<int>(framed.size());
  framed.clear();
  return sent;
}

// Small bodies go out in the header's write: one TCP segment for the answer.
constexpr size_t kBodyInHeaderWrite = size_t{64} << 10;

}  // namespace

void append_response_head(mg_connection* connection, const HttpResponse& response,
                          std::optional<size_t> content_length, std::string& out) {
  const mg_request_info* info = mg_get_request_info(connection);
  const std::string_view version = info->http_version != nullptr ? info->http_version : "1.1";
  const bool keep_alive = client_keeps_alive(version, mg_get_header(connection, "Connection"));
  // civetweb closes where it would have said so; the header must not promise more.
  if (!keep_alive) mg_disable_connection_keep_alive(connection);
  const char* reason = mg_get_response_code_text(connection, response.status);
  ResponseHeader header;
  header.http_version = version;
  header.status = response.status;
  header.reason = reason != nullptr ? reason : "";
  header.content_type = response.content_type;
  header.content_length = content_length;
  header.headers = &response.headers;
  header.keep_alive = keep_alive;
  header.now = std::time(nullptr);
  append_response_header(header, out);
}

void send_sized_response(mg_connection* connection, const HttpResponse& response,
                         std::string_view body, bool head_only) {
  std::string out;
  const bool body_in_header_write = !head_only && body.size() <= kBodyInHeaderWrite;
  out.reserve(256 + (body_in_header_write ? body.size() : 0));
  append_response_head(connection, response, body.size(), out);
  if (body_in_header_write) out += body;
  mg_write(connection, out.data(), out.size());
  if (!head_only && !body_in_header_write) mg_write(connection, body.data(), body.size());
}

void send_chunked_response(mg_connection* connection, const HttpResponse& response,
                           bool head_only) {
  const mg_request_info* info = mg_get_request_info(connection);
  const std::string_view version = info->http_version != nullptr ? info->http_version : "";
  if (head_only || version == "1.0") {
    auto send_sized = [&](const HttpResponse& sized, const std::string& body) {
      send_sized_response(connection, sized, body, head_only);
    };
    std::string body;
    try {
      body = response.materialized_body();
    } catch (const std::exception& error) {
      // Nothing is out yet: a whole error response instead.
      log::warn("streamed response failed", {{"err", std::string_view(error.what())}});
      const HttpResponse failed = HttpResponse::text(503, std::string(error.what()) + "\n");
      send_sized(failed, failed.body);
      return;
    }
    send_sized(response, body);
    return;
  }
  bool sent = true;
  bool head_sent = false;
  std::string framed;  // the header, sent with the first chunk
  append_response_head(connection, response, std::nullopt, framed);
  auto send_piece = [&](std::string_view piece) {
    sent = sent && send_chunk(connection, piece, framed);
    head_sent = true;
    return sent;
  };
  try {
    response.stream_body([&](std::string_view piece) {
      if (piece.empty()) return sent;  // an empty chunk would end the body
      return send_piece(piece);
    });
  } catch (const RenderDeadlinePassed& error) {
    // The client has left by its own clock; a warning, as the render did no harm.
    log::warn("streamed response given up", {{"err", std::string_view(error.what())}});
    sent = false;
  } catch (const std::exception& error) {
    if (!head_sent) {
      // Nothing is out yet: a whole error response instead.
      log::warn("streamed response failed", {{"err", std::string_view(error.what())}});
      const HttpResponse failed = HttpResponse::text(503, std::string(error.what()) + "\n");
      send_sized_response(connection, failed, failed.body, false);
      return;
    }
    // The status line is out; all that is left is to not end the body.
    log::error("streamed response failed", {{"err", std::string_view(error.what())}});
    sent = false;
  }
  if (sent) sent = send_piece({});
  if (!sent) mg_disable_connection_keep_alive(connection);
}

}  // namespace mc
