// bind_failure_reason: errno's words for an address that cannot be listened
// on, in each form the server hands civetweb; "" when it can be, or when the
// form is not one it knows.
#include "exporter/bind_failure.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <string>

namespace mc {
namespace {

// A socket listening on 127.0.0.1 at a port the kernel picks.
struct Listener {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  uint16_t port = 0;

  Listener() {
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0);
    REQUIRE(::listen(fd, 1) == 0);
    socklen_t length = sizeof(address);
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port = ntohs(address.sin_port);
  }
  ~Listener() { ::close(fd); }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
};

TEST_CASE("a port in use is named as such, by address or by port alone", "[exporter]") {
  Listener taken;
  const std::string port = std::to_string(taken.port);
  CHECK(bind_failure_reason("127.0.0.1:" + port) == "Address already in use");
  // The port alone means every IPv4 interface, 127.0.0.1 among them.
  CHECK(bind_failure_reason(port) == "Address already in use");
}

TEST_CASE("an address that binds, or one it cannot read, gives no reason", "[exporter]") {
  CHECK(bind_failure_reason("127.0.0.1:0").empty());
  CHECK(bind_failure_reason("localhost:9993").empty());  // the server resolves names first
  CHECK(bind_failure_reason("127.0.0.1:99999").empty());
  CHECK(bind_failure_reason("127.0.0.1:").empty());
  CHECK(bind_failure_reason("[not-v6]:9993").empty());
}

}  // namespace
}  // namespace mc
