// The config's value rules, checked directly over more inputs than the YAML
// tests can afford.
#include "common/config/config_rules.hpp"

#include <catch2/catch.hpp>
#include <string>

TEST_CASE("label names follow [a-zA-Z_][a-zA-Z0-9_]*", "[config_rules]") {
  for (std::string_view name : {"a", "_", "job", "Job_2", "__name__", "_9", "ABC"}) {
    INFO(name);
    CHECK(mc::is_valid_label_name(name));
  }
  for (std::string_view name : {"", "9a", "a-b", "a.b", "a b", "ä", "a:b", "a\n"}) {
    INFO(name);
    CHECK_FALSE(mc::is_valid_label_name(name));
  }
}

TEST_CASE("UTF-8 validation matches Go's utf8.ValidString", "[config_rules]") {
  CHECK(mc::is_valid_utf8(""));
  CHECK(mc::is_valid_utf8("plain ascii"));
  CHECK(mc::is_valid_utf8("ünïcode ✓ 𝄞"));
  CHECK(mc::is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  CHECK_FALSE(mc::is_valid_utf8("\xFF"));
  CHECK_FALSE(mc::is_valid_utf8("\xC3"));              // truncated
  CHECK_FALSE(mc::is_valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(mc::is_valid_utf8("\xE0\x80\xAF"));      // overlong '/'
  CHECK_FALSE(mc::is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  CHECK_FALSE(mc::is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  CHECK_FALSE(mc::is_valid_utf8("a\x80z"));            // stray continuation byte
}

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
