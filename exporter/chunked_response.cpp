#include "exporter/chunked_response.hpp"

#include <civetweb.h>

#include <charconv>
#include <exception>
#include <mutex>
#include <string>
#include <string_view>

#include "common/util/logger.hpp"
#include "exporter/body_buffer.hpp"

namespace mc {

namespace {

std::mutex header_mutex;

// Sends one chunk (size line, data, CRLF) in one write, where civetweb's
// mg_send_chunk makes three: with TCP_NODELAY each would be a packet of its
// own, and the last chunk's 5 bytes one more. `framed` is reused between
// chunks. An empty `piece` is the last chunk.
bool send_chunk(mg_connection* connection, std::string_view piece, std::string& framed) {
  char size_line[24];
  const auto converted =
      std::to_chars(size_line, size_line + sizeof(size_line) - 2, piece.size(), 16);
  framed.assign(size_line, converted.ptr);
  framed += "\r\n";
  framed += piece;
  framed += "\r\n";
  return mg_write(connection, framed.data(), framed.size()) == static_cast<int>(framed.size());
}

void send_header(mg_connection* connection, const HttpResponse& response,
                 const std::string* length) {
  mg_response_header_start(connection, response.status);
  mg_response_header_add(connection, "Content-Type", response.content_type.c_str(), -1);
  if (length != nullptr) {
    mg_response_header_add(connection, "Content-Length", length->c_str(), -1);
  } else {
    mg_response_header_add(connection, "Transfer-Encoding", "chunked", -1);
  }
  for (const auto& [name, value] : response.headers) {
    mg_response_header_add(connection, name.c_str(), value.c_str(), -1);
  }
  send_response_header(connection);
}

}  // namespace

void send_response_header(mg_connection* connection) {
  std::lock_guard lock(header_mutex);
  mg_response_header_send(connection);
}

void send_chunked_response(mg_connection* connection, const HttpResponse& response,
                           bool head_only) {
  const mg_request_info* info = mg_get_request_info(connection);
  const std::string_view version = info->http_version != nullptr ? info->http_version : "";
  if (head_only || version == "1.0") {
    auto send_sized = [&](const HttpResponse& sized, const std::string& body) {
      const std::string length = std::to_string(body.size());
      send_header(connection, sized, &length);
      if (!head_only && !body.empty()) mg_write(connection, body.data(), body.size());
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
  send_header(connection, response, nullptr);
  bool sent = true;
  std::string framed;
  try {
    response.stream_body([&](std::string_view piece) {
      if (piece.empty()) return sent;  // an empty chunk would end the body
      sent = sent && send_chunk(connection, piece, framed);
      return sent;
    });
  } catch (const RenderDeadlinePassed& error) {
    // The client has left by its own clock; a warning, as the render did no harm.
    log::warn("streamed response given up", {{"err", std::string_view(error.what())}});
    sent = false;
  } catch (const std::exception& error) {
    // The status line is out; all that is left is to not end the body.
    log::error("streamed response failed", {{"err", std::string_view(error.what())}});
    sent = false;
  }
  if (sent) sent = send_chunk(connection, {}, framed);
  if (!sent) mg_disable_connection_keep_alive(connection);
}

}  // namespace mc
