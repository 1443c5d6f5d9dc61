// A strict reader for the minimal JSON of meta.json: one object whose values
// are strings, integers or arrays of strings. We carry no JSON library and the
// block format needs no more; anything outside this grammar (floats, nested
// objects, true/false/null, repeated keys) is an error naming the byte offset.
//
// Private to common/store/block.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/util/status.hpp"

namespace mc::block {

using JsonValue = std::variant<std::string, int64_t, std::vector<std::string>>;
using JsonObject = std::map<std::string, JsonValue, std::less<>>;

// Parses `text` as one object; errors read "byte N: <what>".
Result<JsonObject> parse_json_object(std::string_view text);

// `text` as a quoted JSON string with ", \ and control characters escaped.
std::string json_quote(std::string_view text);

}  // namespace mc::block
