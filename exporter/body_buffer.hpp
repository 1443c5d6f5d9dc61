// BodyBuffer: collects a streamed body into pieces of about kPieceBytes and
// hands each to a BodySink, so a writer can append to a std::string as it
// always did while the page goes out in bounded memory.
//
// Pieces of 64 KiB keep the per-piece costs (a chunk header, a deflate call,
// a send) negligible against the text, and stay in the L2 cache.
//
// A deadline (the client's own timeout) is checked once a piece: past it the
// buffer throws RenderDeadlinePassed instead of sending, so the response
// ends without its last chunk (the client sees a cut body, never a short
// page that looks whole) and the render stops spending CPU and memory on a
// reader that has left.
//
// Thread-safety: none; one buffer per response.
#pragma once

#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "exporter/http_response.hpp"

namespace mc {

using RenderDeadline = std::chrono::steady_clock::time_point;
inline constexpr RenderDeadline kNoRenderDeadline = RenderDeadline::max();

// A render given up because its client's timeout has passed.
class RenderDeadlinePassed : public std::runtime_error {
 public:
  RenderDeadlinePassed()
      : std::runtime_error(
            "render given up: the client's scrape timeout (X-Prometheus-Scrape-Timeout-Seconds) "
            "passed before the page was written") {}
};

// Throws RenderDeadlinePassed when `deadline` has passed.
inline void check_render_deadline(RenderDeadline deadline) {
  if (deadline != kNoRenderDeadline && std::chrono::steady_clock::now() > deadline) {
    throw RenderDeadlinePassed();
  }
}

class BodyBuffer {
 public:
  static constexpr size_t kPieceBytes = size_t{64} << 10;

  explicit BodyBuffer(const BodySink& sink, RenderDeadline deadline = kNoRenderDeadline)
      : sink_(sink), deadline_(deadline) {
    text_.reserve(kPieceBytes + 4096);
  }

  // Where to append; call piece_done() after each small unit of text.
  std::string& text() { return text_; }
  // Sends the text gathered so far once it reaches kPieceBytes.
  void piece_done() {
    if (text_.size() >= kPieceBytes) send();
  }
  // Sends what is left. False when any piece could not be sent.
  bool finish() {
    if (!text_.empty()) send();
    return ok_;
  }
  // False once a piece could not be sent: the reader is gone, stop writing.
  bool ok() const { return ok_; }
  size_t bytes_sent() const { return bytes_sent_; }

 private:
  void send() {
    check_render_deadline(deadline_);
    if (ok_) ok_ = sink_(text_);
    bytes_sent_ += text_.size();
    text_.clear();
  }

  const BodySink& sink_;
  const RenderDeadline deadline_;
  std::string text_;
  size_t bytes_sent_ = 0;
  bool ok_ = true;
};

}  // namespace mc
