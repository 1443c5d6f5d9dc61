// run_daemon: the daemon's life: load the config, wire collectors (scrapers,
// SQL) → store → exporter, serve until SIGINT/SIGTERM (or POST /-/quit), reload
// the config on SIGHUP or POST /-/reload (collector_set.hpp), then stop in order: the
// SQL collector, then the scrapers (their last stale markers land while the
// exporter still serves), then the exporter.
#pragma once

#include "daemon/flags.hpp"

namespace mc {

// Returns the process exit status: 0 after a clean shutdown, 2 for a bad
// config or web config, 1 when the server cannot start (TLS files OpenSSL refuses included).
int run_daemon(const Flags& flags);

}  // namespace mc
