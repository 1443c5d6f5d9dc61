// Config parsing for tests: parse YAML as "config.yml" and either return the
// Config (failing the test on an error) or return the error (failing the test
// when the YAML loads).
#pragma once

#include <string>
#include <string_view>

#include "common/config/config.hpp"

namespace mc::test {

Config parse_config_ok(std::string_view yaml);
std::string parse_config_error(std::string_view yaml);

}  // namespace mc::test
