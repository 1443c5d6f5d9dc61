// scrape_error_text: a failed scrape's error in the words Prometheus 2.42 uses
// for a target's lastError (/api/v1/targets, the /targets page), so that a
// user moving from Prometheus, or a tool reading the API, finds the same text:
//
//   connection refused  Get "<url>": dial tcp <host:port>: connect: connection refused
//   timeout             Get "<url>": context deadline exceeded
//   HTTP status         server returned HTTP status 503 Service Unavailable
//
// Other failures (parse errors, limits, TLS) keep the collector's own text:
// libcurl and our parser do not see what Go's do, and a made-up Go message
// would be worse than an honest one. The scrape log keeps the original text.
//
// Pure function; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace mc {

// `failure_reason` and `error` as ScrapeReport has them; "" when `error` is.
std::string scrape_error_text(std::string_view url, std::string_view failure_reason,
                              std::string_view error);

}  // namespace mc
