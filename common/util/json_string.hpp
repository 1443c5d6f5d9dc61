// append_json_string: a string as a JSON string literal (quotes, JSON's
// escapes, control bytes as \u00XX, other bytes as they are). The JSON logger,
// logfmt's quoted values and block meta.json all write strings this way.
#pragma once

#include <string>
#include <string_view>

namespace mc {

void append_json_string(std::string& out, std::string_view value);

}  // namespace mc
