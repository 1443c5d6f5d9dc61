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
#include "exporter/http_response.hpp"

namespace mc {

// True when an Accept-Encoding header lists gzip (or *) with a nonzero quality.
bool accepts_gzip(std::string_view accept_encoding);

// Replaces `out` with the gzip stream (RFC 1952) of `input`. Compresses at
// zlib's fastest level: on a 2-core machine CPU is dearer than bytes.
Status gzip_compress(std::string_view input, std::string& out);

// A body producer that gzips what `plain` produces as it produces it, at the
// same level as gzip_compress: each piece is deflated (no flush, so the
// stream compresses as well as in one call) and the output handed on in
// pieces of up to 64 KiB; the gzip trailer goes out when `plain` returns.
// A zlib failure ends the stream without its trailer, so the client sees a
// truncated gzip stream rather than a wrong page.
BodyProducer gzip_streamed(BodyProducer plain);

}  // namespace mc
