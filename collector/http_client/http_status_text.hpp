// The text of an HTTP status code ("Unauthorized" for 401), as Go's
// http.StatusText gives it: Prometheus's scrape and discovery errors read
// "server returned HTTP status 401 Unauthorized", and an HTTP/2 response has
// no reason phrase of its own to quote.
//
// Pure function; callable from any thread.
#pragma once

#include <string_view>

namespace mc {

// "" for a code Go does not name.
std::string_view http_status_text(long code);

}  // namespace mc
