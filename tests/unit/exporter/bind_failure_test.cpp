// bind_failure_reason: errno's words for an address that cannot be listened
// on, in each form the server hands civetweb; "" when it can be, or when the
// form is not one it knows.
#include "exporter/bind_failure.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "tests/support/loopback_listener.hpp"

namespace mc {
namespace {

TEST_CASE("a port in use is named as such, by address or by port alone", "[exporter]") {
  test::LoopbackListener taken;
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
