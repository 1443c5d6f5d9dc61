// /-/healthy and /-/ready, as Prometheus's: healthy answers 200 while the
// server runs; ready answers 200 once the daemon has started its collectors
// (the flag is set), else 503, so an orchestrator holds traffic until then.
#pragma once

#include <atomic>

#include "exporter/route_table.hpp"

namespace mc {

Route healthy_route();
// `ready` must outlive the route.
Route ready_route(const std::atomic<bool>& ready);

}  // namespace mc
