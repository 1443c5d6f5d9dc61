// POST /-/reload and POST /-/quit. They change state, so, as in Prometheus,
// they take POST only (the route table answers 405 otherwise) and answer 403
// unless --web.enable-lifecycle is set.
#pragma once

#include <functional>

#include "common/util/status.hpp"
#include "exporter/route_table.hpp"

namespace mc {

// Calls `reload` (re-read the config): 200, or 500 with its error. Unset:
// 500 "reload is not available".
Route reload_route(bool enabled, std::function<Status()> reload);

// Answers 200, then, once the answer is sent, calls `quit`, which must return
// at once: stopping the server waits for this request.
Route quit_route(bool enabled, std::function<void()> quit);

}  // namespace mc
