// append_html_escaped: text made safe to put in HTML, between tags or inside a
// double- or single-quoted attribute: & < > " ' become entities. Label values
// and scrape errors come from targets and discovery, so the pages escape every
// piece of text they did not write themselves.
// Pure function; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace mc {

void append_html_escaped(std::string& out, std::string_view text);

}  // namespace mc
