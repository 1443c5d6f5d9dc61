// run_daemon: the daemon's life: load the config, wire collectors (scrapers,
// SQL) → store → exporter, serve until SIGINT/SIGTERM, then stop in order: the
// SQL collector, then the scrapers (their last stale markers land while the
// exporter still serves), then the exporter.
#pragma once

#include "daemon/flags.hpp"

namespace mc {

// Returns the process exit status: 0 after a clean shutdown, 2 for a bad
// config, 1 when the server cannot start.
int run_daemon(const Flags& flags);

}  // namespace mc
