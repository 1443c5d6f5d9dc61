#include "common/exposition/escape.hpp"

namespace mc {

void append_escaped_help(std::string& out, std::string_view help, bool escape_quotes) {
  for (char c : help) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '"':
        if (escape_quotes) {
          out += "\\\"";
        } else {
          out += c;
        }
        break;
      default:
        out += c;
    }
  }
}

}  // namespace mc
