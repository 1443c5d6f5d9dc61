// Gzip for HTTP responses: whether a request accepts it, and compression.
//
// /metrics bodies are repetitive text that gzip shrinks 10-20x; Prometheus
// asks for gzip on every scrape (Accept-Encoding: gzip).
//
// Thread-safety: stateless functions.
#pragma once

#include <string>
#include <string_view>

#include "common/util/status.hpp"

namespace mc {

// True when an Accept-Encoding header lists gzip (or *) with a nonzero quality.
bool accepts_gzip(std::string_view accept_encoding);

// Replaces `out` with the gzip stream (RFC 1952) of `input`. Compresses at
// zlib's fastest level: on a 2-core machine CPU is dearer than bytes.
Status gzip_compress(std::string_view input, std::string& out);

}  // namespace mc
