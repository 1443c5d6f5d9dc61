#include "tests/support/http_test_server.hpp"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <stdexcept>

namespace mc::test {

namespace {

std::string status_text(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 302:
      return "Found";
    case 404:
      return "Not Found";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

}  // namespace

HttpTestServer::HttpTestServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 64) != 0) {
    throw std::runtime_error("HttpTestServer: cannot bind 127.0.0.1");
  }
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

HttpTestServer::~HttpTestServer() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  ::close(listen_fd_);
  acceptor_.join();
  std::vector<std::thread> connections;
  {
    std::lock_guard lock(mutex_);
    connections.swap(connections_);
  }
  for (auto& thread : connections) thread.join();
}

void HttpTestServer::set_response(const std::string& path, TestResponse response) {
  std::lock_guard lock(mutex_);
  responses_[path] = std::move(response);
}

int HttpTestServer::request_count(const std::string& path) const {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(path);
  return it == counts_.end() ? 0 : it->second;
}

std::string HttpTestServer::last_request_head(const std::string& path) const {
  std::lock_guard lock(mutex_);
  auto it = last_heads_.find(path);
  return it == last_heads_.end() ? "" : it->second;
}

bool HttpTestServer::send_all(int fd, std::string_view data) const {
  while (!data.empty()) {
    // Waits in short steps: a client that stops reading must not keep a
    // stopping server (and the test) waiting.
    pollfd pfd{fd, POLLOUT, 0};
    int ready = ::poll(&pfd, 1, 100);
    if (stopping_) return false;
    if (ready == 0) continue;
    if (ready < 0 || (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) return false;
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void HttpTestServer::send_pieces(int fd,
                                 const std::function<std::string(uint64_t)>& body_pieces) const {
  for (uint64_t index = 0;; ++index) {
    std::string piece = body_pieces(index);
    if (piece.empty()) break;
    if (!send_all(fd, fmt::format("{:x}\r\n", piece.size())) || !send_all(fd, piece) ||
        !send_all(fd, "\r\n")) {
      return;  // the client hung up: the usual end for a body too large to take
    }
  }
  send_all(fd, "0\r\n\r\n");
}

void HttpTestServer::accept_loop() {
  while (!stopping_) {
    pollfd pfd{listen_fd_, POLLIN, 0};
    if (::poll(&pfd, 1, 100) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    std::lock_guard lock(mutex_);
    connections_.emplace_back([this, fd] { serve(fd); });
  }
}

void HttpTestServer::serve(int fd) {
  std::string head;
  char buffer[4096];
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, 5000) <= 0) break;
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    head.append(buffer, static_cast<size_t>(n));
  }
  auto line_end = head.find("\r\n");
  std::string request_line = head.substr(0, line_end);
  auto first_space = request_line.find(' ');
  auto second_space = request_line.find(' ', first_space + 1);
  std::string target = first_space == std::string::npos
                           ? "/"
                           : request_line.substr(first_space + 1, second_space - first_space - 1);
  std::string path = target.substr(0, target.find('?'));

  TestResponse response;
  bool found = false;
  {
    std::lock_guard lock(mutex_);
    ++counts_[path];
    last_heads_[path] = head;
    auto it = responses_.find(path);
    if (it != responses_.end()) {
      response = it->second;
      found = true;
    }
  }
  if (!found) {
    response.status = 404;
    response.body = "not found\n";
  }

  // Sleep in small steps so a stopping server does not wait out a long delay.
  auto wake_at = std::chrono::steady_clock::now() + response.delay;
  while (!stopping_ && std::chrono::steady_clock::now() < wake_at) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  if (response.hang_up) {
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
    return;
  }

  std::string reply =
      "HTTP/1.1 " + std::to_string(response.status) + " " + status_text(response.status) + "\r\n";
  reply += "Content-Type: " + response.content_type + "\r\n";
  if (!response.content_encoding.empty()) {
    reply += "Content-Encoding: " + response.content_encoding + "\r\n";
  }
  if (!response.location.empty()) reply += "Location: " + response.location + "\r\n";
  if (response.body_pieces) {
    reply += "Transfer-Encoding: chunked\r\n";
  } else {
    reply += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  }
  reply += "Connection: close\r\n\r\n";
  send_all(fd, reply);

  size_t to_send = std::min(response.body.size(), response.close_after_bytes);
  if (response.body_pieces) {
    send_pieces(fd, response.body_pieces);
  } else if (response.trickle_interval.count() > 0) {
    for (size_t i = 0; i < to_send && !stopping_; ++i) {
      if (!send_all(fd, std::string_view(response.body).substr(i, 1))) break;
      // Sleeps in small steps so a stopping server does not wait out the interval.
      auto next_byte_at = std::chrono::steady_clock::now() + response.trickle_interval;
      while (!stopping_ && std::chrono::steady_clock::now() < next_byte_at) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
  } else {
    send_all(fd, std::string_view(response.body).substr(0, to_send));
  }
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

}  // namespace mc::test
