// Fuzz target: parse_config on any YAML text. Every error must come back as a
// Status; an exception escaping yaml-cpp or the rules would abort here.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  (void)mc::parse_config(yaml, "fuzz.yml");
  return 0;
}
