// How a label value is written between double quotes: backslash, double quote
// and newline escaped (\\, \", \n). The text form of a label set
// (Labels::to_string) and both exposition formats write values this way, so
// the rule lives with the model and the exposition writer uses it from here.
#pragma once

#include <string>
#include <string_view>

namespace mc {

void append_escaped_label_value(std::string& out, std::string_view value);

}  // namespace mc
