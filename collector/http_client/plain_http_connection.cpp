#include "collector/http_client/plain_http_connection.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>
#include <span>

namespace mc {

namespace {

// What one recv() may take: a 1,000-series page (about 90 KB) in one call.
// One buffer per thread, shared by every connection the thread drives.
constexpr size_t kReceiveBufferBytes = 256 * 1024;

// At most this much body is received into its sink at once: a lying
// Content-Length grows a body by what actually arrives, no more.
constexpr size_t kInPlaceBytes = size_t{1} << 20;

char* receive_buffer() {
  thread_local std::unique_ptr<std::array<char, kReceiveBufferBytes>> buffer;
  if (!buffer) buffer = std::make_unique<std::array<char, kReceiveBufferBytes>>();
  return buffer->data();
}

std::string error_text(int error) { return std::strerror(error); }

}  // namespace

std::optional<PlainHttpEndpoint> PlainHttpEndpoint::of(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return std::nullopt;
  url.remove_prefix(kScheme.size());
  const size_t authority_end = std::min(url.find_first_of("/?#"), url.size());
  const std::string_view authority = url.substr(0, authority_end);
  std::string_view target = url.substr(authority_end);
  if (target.find('#') != std::string_view::npos) return std::nullopt;
  if (authority.find('@') != std::string_view::npos) return std::nullopt;

  std::string_view host;
  std::string_view port;
  if (authority.starts_with('[')) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos || close + 1 >= authority.size() ||
        authority[close + 1] != ':') {
      return std::nullopt;
    }
    host = authority.substr(1, close - 1);
    port = authority.substr(close + 2);
  } else {
    const size_t colon = authority.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  unsigned port_number = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), port_number);
  if (port.empty() || error != std::errc() || end != port.data() + port.size() ||
      port_number == 0 || port_number > 65535) {
    return std::nullopt;
  }

  PlainHttpEndpoint endpoint;
  const std::string host_text(host);
  if (authority.starts_with('[')) {
    auto* address = reinterpret_cast<sockaddr_in6*>(&endpoint.address);
    if (inet_pton(AF_INET6, host_text.c_str(), &address->sin6_addr) != 1) return std::nullopt;
    address->sin6_family = AF_INET6;
    address->sin6_port = htons(static_cast<uint16_t>(port_number));
    endpoint.address_length = sizeof(sockaddr_in6);
  } else {
    auto* address = reinterpret_cast<sockaddr_in*>(&endpoint.address);
    if (inet_pton(AF_INET, host_text.c_str(), &address->sin_addr) != 1) return std::nullopt;
    address->sin_family = AF_INET;
    address->sin_port = htons(static_cast<uint16_t>(port_number));
    endpoint.address_length = sizeof(sockaddr_in);
  }
  endpoint.authority = std::string(authority);
  endpoint.request_target = target.empty()          ? "/"
                            : target.front() == '?' ? "/" + std::string(target)
                                                    : std::string(target);
  return endpoint;
}

PlainHttpConnection::PlainHttpConnection(PlainHttpEndpoint endpoint)
    : endpoint_(std::move(endpoint)) {}

PlainHttpConnection::~PlainHttpConnection() { close(); }

void PlainHttpConnection::close() {
  if (fd_ < 0) return;
  ::close(fd_);  // also takes it out of the epoll set: nothing else holds the socket
  fd_ = -1;
  watched_ = 0;
  connecting_ = false;
}

bool PlainHttpConnection::start(int epoll_fd, void* tag, std::string_view request,
                                HttpResponseSink& sink) {
  // A kept connection registered in another set or under another tag (the
  // scheduler restarted) is not worth re-registering.
  if (fd_ >= 0 && (epoll_fd != epoll_fd_ || tag != tag_)) close();
  epoll_fd_ = epoll_fd;
  tag_ = tag;
  request_ = request;
  sent_ = 0;
  bytes_received_ = 0;
  retried_ = false;
  error_.clear();
  failure_reason_ = {};
  sink_ = &sink;
  response_.reset();
  if (fd_ >= 0) {
    reused_ = true;
    return send_request();
  }
  reused_ = false;
  return connect_and_send();
}

bool PlainHttpConnection::end(std::string error, std::string_view reason) {
  error_ = std::move(error);
  failure_reason_ = reason;
  sink_ = nullptr;
  return true;
}

bool PlainHttpConnection::watch(uint32_t events) {
  if (watched_ == events) return true;
  epoll_event event{};
  event.events = events;
  event.data.ptr = tag_;
  if (epoll_ctl(epoll_fd_, watched_ == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd_, &event) != 0) {
    const int error = errno;
    close();
    end(fmt::format("cannot wait for the connection to {}: {}", endpoint_.authority,
                    error_text(error)),
        "connection");
    return false;
  }
  watched_ = events;
  return true;
}

bool PlainHttpConnection::connect_and_send() {
  fd_ = ::socket(endpoint_.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    return end(
        fmt::format("cannot open a socket for {}: {}", endpoint_.authority, error_text(errno)),
        "connection");
  }
  watched_ = 0;
  const int one = 1;
  // The request is one small write; Nagle's delay would only hold it back.
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&endpoint_.address),
                endpoint_.address_length) == 0) {
    connecting_ = false;
    return send_request();
  }
  if (errno != EINPROGRESS) {
    const int error = errno;
    close();
    return end(fmt::format("connect to {}: {}", endpoint_.authority, error_text(error)),
               "connection");
  }
  connecting_ = true;
  return !watch(EPOLLOUT);
}

bool PlainHttpConnection::retry_or_fail(std::string error) {
  close();
  // The server closed the kept connection as the request went out (its idle
  // timeout): nothing of the response came, so the request is sent once more
  // on a new connection, as Go's transport does for a GET.
  if (reused_ && !retried_ && bytes_received_ == 0) {
    retried_ = true;
    reused_ = false;
    sent_ = 0;
    response_.reset();
    return connect_and_send();
  }
  return end(std::move(error), "connection");
}

bool PlainHttpConnection::send_request() {
  while (sent_ < request_.size()) {
    const ssize_t sent =
        ::send(fd_, request_.data() + sent_, request_.size() - sent_, MSG_NOSIGNAL);
    if (sent > 0) {
      sent_ += static_cast<size_t>(sent);
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return !watch(EPOLLOUT);
    return retry_or_fail(
        fmt::format("send to {}: {}", endpoint_.authority, error_text(sent < 0 ? errno : EPIPE)));
  }
  // On loopback the answer cannot be there yet: wait for it rather than try.
  return !watch(EPOLLIN);
}

bool PlainHttpConnection::on_ready(uint32_t events) {
  if (sink_ == nullptr) return true;
  if (connecting_) {
    int error = 0;
    socklen_t length = sizeof(error);
    if (getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
    if (error == 0 && (events & (EPOLLERR | EPOLLHUP)) != 0) error = ECONNREFUSED;
    if (error != 0) {
      close();
      return end(fmt::format("connect to {}: {}", endpoint_.authority, error_text(error)),
                 "connection");
    }
    connecting_ = false;
    return send_request();
  }
  if (sent_ < request_.size()) return send_request();
  return receive();
}

bool PlainHttpConnection::receive() {
  char* const buffer = receive_buffer();
  while (true) {
    // A response's first bytes go into the sink's room for the whole response
    // when it has some (the head then parsed where it lies, the body left in
    // place behind it); a body of known length, not encoded, straight into
    // the sink's body; anything else through the shared buffer and the reader.
    std::span<char> space;
    const bool whole_response = response_.nothing_received();
    if (whole_response) {
      space = sink_->response_space();
    } else if (const uint64_t in_place = response_.raw_body_remaining(); in_place > 0) {
      space = sink_->body_space(static_cast<size_t>(std::min<uint64_t>(in_place, kInPlaceBytes)));
    }
    char* const into = space.empty() ? buffer : space.data();
    const size_t room = space.empty() ? kReceiveBufferBytes : space.size();
    const ssize_t received = ::recv(fd_, into, room, 0);
    const int error = errno;
    if (received > 0) {
      bytes_received_ += static_cast<uint64_t>(received);
      const size_t size = static_cast<size_t>(received);
      size_t used = size;
      if (space.empty()) {
        used = response_.feed(std::string_view(buffer, size), *sink_);
      } else if (whole_response) {
        used = take_response_start(std::string_view(space.data(), size));
      } else {
        response_.body_received_in_place(0, size, *sink_);
      }
      if (response_.failed()) {
        close();
        return end(response_.error(), response_.failure_reason());
      }
      if (response_.done()) {
        // Bytes after the response were not asked for: not a connection to reuse.
        if (used < size || !response_.keep_alive()) close();
        return end({}, {});
      }
      if (size < room) return false;  // the rest is yet to come
      continue;
    }
    if (!space.empty()) sink_->on_body_in_place(0, 0);  // gives the space back
    if (received == 0) {
      if (bytes_received_ == 0 && reused_ && !retried_) {
        return retry_or_fail(fmt::format("{} closed the connection", endpoint_.authority));
      }
      close();
      response_.end_of_stream();
      if (response_.done()) return end({}, {});
      return end(response_.error(), response_.failure_reason());
    }
    if (error == EINTR) continue;
    if (error == EAGAIN || error == EWOULDBLOCK) return false;
    return retry_or_fail(
        fmt::format("receive from {}: {}", endpoint_.authority, error_text(error)));
  }
}

size_t PlainHttpConnection::take_response_start(std::string_view bytes) {
  const size_t head = response_.feed_head_only(bytes, *sink_);
  const size_t rest = bytes.size() - head;
  if (rest > 0 && rest <= response_.raw_body_remaining()) {
    // The common case: the body so far stays where it arrived, behind the head.
    response_.body_received_in_place(head, rest, *sink_);
    return bytes.size();
  }
  if (response_.failed()) {  // a bad head, or a status the sink refused: nothing to keep
    sink_->on_body_in_place(0, 0);
    return head;
  }
  // A head alone (or not ended), a body to decode or dechunk, bytes past the
  // response: the rest goes the usual way. It is copied out first, since the
  // sink's body grows over the space it lies in (rare: a target that changed
  // its framing, or a head that came alone).
  const std::string rest_bytes(bytes.substr(head));
  sink_->on_body_in_place(0, 0);
  return head + response_.feed(rest_bytes, *sink_);
}

void PlainHttpConnection::on_idle_event() {
  // A kept connection has nothing to say between requests: this is its close
  // (or bytes nobody asked for), and either way it is done.
  close();
}

void PlainHttpConnection::abort() {
  close();
  if (sink_ != nullptr) end("aborted", "other");
}

}  // namespace mc
