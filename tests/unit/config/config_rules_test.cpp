// The config's target address rule, checked directly over more inputs than the YAML
// tests can afford.
#include "common/config/config_rules.hpp"

#include <catch2/catch.hpp>
#include <string>

TEST_CASE("target addresses that can be scraped", "[config_rules]") {
  for (std::string_view target :
       {"localhost:9100", "10.0.0.1:80", "example.com", "host:0", "host:65535", "[::1]:9090",
        "[::1]", "2001:db8::1", "my-host.internal:8080"}) {
    INFO(target);
    CHECK_FALSE(mc::target_address_problem(target).has_value());
  }
}

TEST_CASE("target addresses that cannot", "[config_rules]") {
  for (std::string_view target :
       {"", "http://host:1", "host:1/metrics", "/path", "host :1", "host:1\t", ":9090",
        "host:", "host:port", "host:65536", "host:123456", "[::1", "[::1]9090", "[::1]:x"}) {
    INFO(target);
    CHECK(mc::target_address_problem(target).has_value());
  }
  CHECK(*mc::target_address_problem("[::1") ==
        "\"[::1\" is not a valid target: missing ']' after IPv6 address");
}
