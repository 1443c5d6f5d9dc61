// Escaping rules of the text exposition formats, shared by parser and writer.
//
// Label values escape backslash, double quote and newline (\\, \", \n), by
// the model's rule (common/model/label_value_escape.hpp, included here); HELP
// text escapes backslash and newline only (text 0.0.4), or also the double
// quote (OpenMetrics). Both formats accept the same three escapes on input.
#pragma once

#include <string>
#include <string_view>

#include "common/model/label_value_escape.hpp"

namespace mc {

// `escape_quotes` is true for OpenMetrics HELP, false for text 0.0.4 HELP.
void append_escaped_help(std::string& out, std::string_view help, bool escape_quotes);

}  // namespace mc
