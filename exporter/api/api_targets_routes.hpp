// api_targets_routes: /api/v1/targets, /api/v1/targets/metadata and
// /api/v1/scrape_pools, written
// as Prometheus 2.42 writes them (web/api/v1/api.go targets, targetMetadata),
// from what the scrape side reports through a TargetStatusSource:
//
//   /api/v1/targets?state=active|dropped|any&scrapePool=<job>
//     {"activeTargets":[{"discoveredLabels":{...},"labels":{...},
//       "scrapePool":"node","scrapeUrl":"http://h:9100/metrics",
//       "globalUrl":"http://h:9100/metrics","lastError":"",
//       "lastScrape":"2026-12-05T21:40:00.123Z","lastScrapeDuration":0.0012,
//       "health":"up","scrapeInterval":"15s","scrapeTimeout":"10s"}],
//      "droppedTargets":[{"discoveredLabels":{...}}]}
//     An unknown state lists neither, as Prometheus does; scrapePool keeps
//     one job's targets in both lists.
//
//   /api/v1/targets/metadata?match_target=<selector>&metric=<name>&limit=<n>
//     [{"target":{...},"metric":"x","type":"gauge","help":"...","unit":""}]
//     "metric" is left out when the request names one; limit is checked
//     before each target, so a target's families are never split.
//
//   /api/v1/scrape_pools
//     {"scrapePools":["a","b"]}: every job by name, those without targets too.
//
// globalUrl is the scrape URL with a loopback host (127.0.0.1, localhost,
// ::1) replaced by the daemon's own host name, as Prometheus's getGlobalURL
// does with the external URL's host.
//
// Thread-safety: the routes only read the source, which is thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/target_status.hpp"
#include "exporter/route_table.hpp"

namespace mc::api {

// How the daemon is reached from outside, for globalUrl: its scheme, host
// name and port ("http", "myhost", "9993"), as the external URL Prometheus
// derives from its host name and listen address.
struct ExternalUrl {
  std::string scheme = "http";
  std::string host;
  std::string port;
};

// The external URL a daemon listening on `listen_address` (":9993",
// "0.0.0.0:9993", "127.0.0.1:9993") has, with this machine's host name.
ExternalUrl default_external_url(std::string_view listen_address, std::string_view scheme);

// `scrape_url` as seen from another machine.
std::string global_url(std::string_view scrape_url, const ExternalUrl& external);

// Go's time.Time JSON form of a Unix millisecond time in UTC
// ("2026-12-05T21:40:00.123Z"); 0 is Go's zero time "0001-01-01T00:00:00Z".
std::string rfc3339_time(int64_t t_ms);

// `source` must outlive the routes.
std::vector<Route> target_api_routes(const TargetStatusSource& source, ExternalUrl external);

}  // namespace mc::api
