#include "exporter/bind_failure.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <charconv>

#include "common/util/errno_text.hpp"

namespace mc {

namespace {

// Binds and listens as civetweb does (SO_REUSEADDR), then lets go; "" on success.
std::string try_listen(const sockaddr* address, socklen_t length) {
  const int fd = ::socket(address->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno_text();
  const int on = 1;
  static_cast<void>(::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)));
  std::string reason;
  if (::bind(fd, address, length) != 0 || ::listen(fd, 1) != 0) reason = errno_text();
  ::close(fd);
  return reason;
}

}  // namespace

std::string bind_failure_reason(std::string_view civetweb_port) {
  const size_t colon = civetweb_port.rfind(':');
  const std::string_view port_text =
      colon == std::string_view::npos ? civetweb_port : civetweb_port.substr(colon + 1);
  uint16_t port = 0;
  const auto parsed = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (parsed.ec != std::errc() || parsed.ptr != port_text.data() + port_text.size()) return "";
  std::string host(colon == std::string_view::npos ? "" : civetweb_port.substr(0, colon));

  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    sockaddr_in6 address{};
    address.sin6_family = AF_INET6;
    address.sin6_port = htons(port);
    if (::inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &address.sin6_addr) != 1) {
      return "";
    }
    return try_listen(reinterpret_cast<const sockaddr*>(&address), sizeof(address));
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  if (host.empty()) {
    address.sin_addr.s_addr = htonl(INADDR_ANY);
  } else if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    return "";
  }
  return try_listen(reinterpret_cast<const sockaddr*>(&address), sizeof(address));
}

}  // namespace mc
