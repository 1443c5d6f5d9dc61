#include "tests/support/config_parsing.hpp"

#include <catch2/catch.hpp>

namespace mc::test {

Config parse_config_ok(std::string_view yaml) {
  auto result = parse_config(yaml, "config.yml");
  INFO("yaml:\n" << yaml);
  if (!result.is_ok()) FAIL("unexpected error: " << result.error());
  return *result;
}

std::string parse_config_error(std::string_view yaml) {
  auto result = parse_config(yaml, "config.yml");
  INFO("yaml:\n" << yaml);
  REQUIRE_FALSE(result.is_ok());
  return result.error();
}

}  // namespace mc::test
