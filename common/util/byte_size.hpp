// Byte sizes as Prometheus's config writes them (body_size_limit): a whole
// number followed by a unit, powers of two: "512B", "64KB" or "64KiB" (65,536
// bytes), "10MB", "1GB", "1TB"; "0" alone means zero.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/util/status.hpp"

namespace mc {

// Fails with a message quoting the text when it is not a valid size.
Result<uint64_t> parse_byte_size(std::string_view text);
// The shortest exact spelling: 67108864 -> "64MB", 1000 -> "1000B", 0 -> "0B".
std::string format_byte_size(uint64_t bytes);

}  // namespace mc
