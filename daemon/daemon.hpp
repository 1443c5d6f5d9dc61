// run_daemon: the daemon's life: load the config, wire scrapers → store →
// exporter, serve until SIGINT/SIGTERM, then stop in order (scrapers first, so
// their last stale markers land while the exporter still serves).
#pragma once

#include "daemon/flags.hpp"

namespace mc {

// Returns the process exit status: 0 after a clean shutdown, 2 for a bad
// config, 1 when the server cannot start.
int run_daemon(const Flags& flags);

}  // namespace mc
