// The connection options libpq accepts when it parses a DSN but refuses when
// it connects (`port=notaport`, `sslmode=bogus`, three ports for two hosts,
// ...). No retry makes such a DSN work, so the daemon refuses it at start
// (status 2, like a DSN libpq cannot parse) instead of retrying for ever;
// ConnectionString::parse calls this, so every path that resolves a DSN
// (daemon start, reload, `check sql`) gets the check.
//
// It mirrors the checks of libpq 15 that happen before any network I/O
// (connectOptions2 and the start of PQconnectPoll), so what it refuses libpq
// would refuse on every attempt. What only the network decides (a host name
// that does not resolve, a refused connection, a timeout) is not checked here:
// the database may come up later, and the collector retries those.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/util/status.hpp"

namespace mc {

// `options`: the keyword/value pairs libpq's PQconninfoParse returned (set
// ones only). The error names the option and its value; the caller must not
// pass the password (it is never checked, so never quoted).
Status check_connection_options(const std::vector<std::pair<std::string, std::string>>& options);

}  // namespace mc
