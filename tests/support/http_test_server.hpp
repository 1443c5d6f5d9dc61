// HttpTestServer: a small HTTP/1.1 server on 127.0.0.1 for tests, playing a
// scrape target that behaves well or badly: any status, content type and body,
// a delay before answering, a connection closed mid-body, a trickle, and bodies
// too large to hold (gigabytes, millions of series) produced piece by piece.
//
// One thread accepts; each connection gets its own short-lived thread (tests
// only: a handful of connections). Every response closes its connection.
//
// Thread-safety: set_response() may be called while the server runs.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace mc::test {

struct TestResponse {
  int status = 200;
  std::string content_type = "text/plain; version=0.0.4; charset=utf-8";
  std::string body;
  std::string content_encoding;                   // e.g. "gzip"; the body is sent as given
  std::string location;                           // sent as Location (for a redirect)
  std::chrono::milliseconds delay{0};             // before the status line
  size_t close_after_bytes = SIZE_MAX;            // close the connection after this much body
  std::chrono::milliseconds trickle_interval{0};  // when set, one body byte per interval
  bool hang_up = false;                           // close the connection without answering at all
  // When set, replaces `body`: called with 0, 1, 2, ... for the next piece until
  // it returns "" (the end). Sent chunked, without Content-Length, so a body of
  // any size costs one piece of memory; sending stops when the client hangs up.
  std::function<std::string(uint64_t piece)> body_pieces;
};

class HttpTestServer {
 public:
  HttpTestServer();  // binds 127.0.0.1 on a free port and starts serving
  ~HttpTestServer();
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  // The response for a path (without the query string); unknown paths get 404.
  void set_response(const std::string& path, TestResponse response);
  // How many requests arrived for the path, and the last request's head (request
  // line and headers), for checking what the scraper sent.
  int request_count(const std::string& path) const;
  std::string last_request_head(const std::string& path) const;

 private:
  void accept_loop();
  void serve(int fd);
  // Sends everything unless the peer is gone or the server stops; false then.
  bool send_all(int fd, std::string_view data) const;
  void send_pieces(int fd, const std::function<std::string(uint64_t)>& body_pieces) const;

  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::map<std::string, TestResponse> responses_;  // guarded by mutex_
  std::map<std::string, int> counts_;              // guarded by mutex_
  std::map<std::string, std::string> last_heads_;  // guarded by mutex_
  std::vector<std::thread> connections_;           // guarded by mutex_
};

}  // namespace mc::test
