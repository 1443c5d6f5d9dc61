// target_pages: the /targets and /service-discovery HTML pages, rendered on
// the server from a TargetStatusSource, so they work with no internet (no CDN,
// no framework) and with JavaScript off; a few lines of script only submit
// the filter form when it changes.
//
//   /targets             per job: each target's endpoint, state (UP, DOWN,
//                        UNKNOWN), labels after relabeling (the labels
//                        before it on hover, and under "Before relabeling"),
//                        how long ago it was scraped, the scrape's duration
//                        and its error. ?job=<name> shows one job,
//                        ?health=unhealthy only the targets not UP.
//   /service-discovery   per job: each discovered label set and what
//                        relabeling made of it: the target's labels, or
//                        "Dropped".
//
// Every text that comes from a target or from discovery is HTML-escaped.
//
// Thread-safety: the routes only read the source, which is thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/model/target_status.hpp"
#include "exporter/route_table.hpp"

namespace mc {

// The pages' HTML, `now_ms` for "ago"; for the routes and their tests.
std::string targets_page_html(const TargetStatusSource& source, std::string_view job,
                              bool unhealthy_only, int64_t now_ms);
std::string service_discovery_page_html(const TargetStatusSource& source);

// `source` must outlive the routes.
std::vector<Route> target_page_routes(const TargetStatusSource& source);

}  // namespace mc
