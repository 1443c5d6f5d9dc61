// PlainHttpConnection: one target's kept-alive HTTP/1.1 connection over plain
// TCP, without libcurl, driven by its owner's epoll set.
//
// Why it exists: on 1,000-series pages half of a scrape's CPU was the HTTP
// exchange through libcurl (URL parsing, header matching, a poll per step,
// about 4 polls a scrape; bench/scrape/README.md). Here a scrape of a kept
// connection is one send() of a request built once and one recv() of the
// response in the common case, and the socket stays in one epoll set with
// every other target's, so an idle connection's hang-up is noticed without
// polling it.
//
// It takes only what needs nothing else: http:// URLs whose host is an IP
// address (PlainHttpEndpoint::of). Names (which need a resolver that does
// not block), TLS, proxies and redirects stay with libcurl.
//
// Like Go's transport, a request sent on a kept connection that the server
// closed before answering is sent once more on a new connection.
//
// Thread-safety: not thread-safe; one request at a time, on the thread that
// waits on the epoll set.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "collector/http_client/http_response_reader.hpp"

namespace mc {

// Where a plain http:// URL with an IP address for its host sends its request.
struct PlainHttpEndpoint {
  sockaddr_storage address{};
  socklen_t address_length = 0;
  std::string authority;       // "127.0.0.1:9100", "[::1]:9100": the Host header
  std::string request_target;  // "/metrics?x=1": the request line's target

  // nullopt unless `url` is "http://IP:port/..." (IPv6 in brackets) with an
  // explicit port, no user information and no fragment.
  static std::optional<PlainHttpEndpoint> of(std::string_view url);
};

class PlainHttpConnection {
 public:
  explicit PlainHttpConnection(PlainHttpEndpoint endpoint);
  ~PlainHttpConnection();  // closes
  PlainHttpConnection(const PlainHttpConnection&) = delete;
  PlainHttpConnection& operator=(const PlainHttpConnection&) = delete;

  const PlainHttpEndpoint& endpoint() const { return endpoint_; }

  // Sends `request` (a whole request head, kept alive by the caller until the
  // request ends) on the kept connection, or on a new one, with the socket in
  // `epoll_fd` under the `tag` pointer. The response goes to `sink` through
  // response(). Returns true when the request already ended (failed at once,
  // or answered); otherwise on_ready() follows each event of the socket.
  bool start(int epoll_fd, void* tag, std::string_view request, HttpResponseSink& sink);
  // The socket's epoll events while a request is under way; true once it ended.
  bool on_ready(uint32_t events);
  // An event while no request is under way: the server closed the kept
  // connection (or sent what nobody asked for), so it is closed.
  void on_idle_event();
  // Ends the request under way (a timeout, the target let go) and closes.
  void abort();
  // Closes the connection, if any.
  void close();

  bool in_request() const { return sink_ != nullptr; }
  // After the request ended: ok, or why not with its scrape failure reason
  // ("connection" for the socket, else the reader's).
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  std::string_view failure_reason() const { return failure_reason_; }
  const HttpResponseReader& response() const { return response_; }
  // Response bytes received for the request under way (for a timeout's message).
  uint64_t bytes_received() const { return bytes_received_; }
  // Whether the connection is open (kept between requests).
  bool connected() const { return fd_ >= 0; }

 private:
  bool connect_and_send();
  bool send_request();
  bool receive();
  // The first bytes of a response, received into the sink's response_space().
  // Returns how many belong to the response, as HttpResponseReader::feed().
  size_t take_response_start(std::string_view bytes);
  bool end(std::string error, std::string_view reason);
  bool watch(uint32_t events);
  bool retry_or_fail(std::string error);

  PlainHttpEndpoint endpoint_;
  int fd_ = -1;
  int epoll_fd_ = -1;
  void* tag_ = nullptr;
  uint32_t watched_ = 0;  // the events the socket is registered for
  bool connecting_ = false;
  bool reused_ = false;  // the request went out on a kept connection
  bool retried_ = false;
  std::string_view request_;
  size_t sent_ = 0;
  uint64_t bytes_received_ = 0;
  HttpResponseSink* sink_ = nullptr;  // set while a request is under way
  HttpResponseReader response_;
  std::string error_;
  std::string_view failure_reason_;
};

}  // namespace mc
