// The /api/v1/status/* routes, in Prometheus 2.42's shape:
//
//   buildinfo    {"version","revision","branch","buildUser","buildDate","goVersion"}:
//                our version and git revision; the fields a Go build stamps
//                and ours does not are "" (as an unstamped Prometheus build),
//                goVersion names the C++ compiler that built us
//   config       {"yaml":"..."}: ApiOptions::config_yaml
//   flags        {"<flag>":"<value>",...}: ApiOptions::flags, sorted
//   runtimeinfo  {"startTime","CWD","reloadConfigSuccess","lastConfigTime",
//                "corruptionCount","goroutineCount","GOMAXPROCS","GOGC",
//                "GODEBUG","storageRetention"}: goroutineCount is the
//                process's thread count (/proc/self/status), GOMAXPROCS the
//                CPUs it may use, GOGC and GODEBUG "" (no Go runtime),
//                corruptionCount the damaged WAL records found at open
//   tsdb         api_tsdb_stats.hpp
#pragma once

#include <vector>

#include "common/store/storage.hpp"
#include "exporter/api/api_options.hpp"
#include "exporter/route_table.hpp"

namespace mc::api {

// `storage` must outlive the routes.
std::vector<Route> status_routes(Storage& storage, const ApiOptions& options);

}  // namespace mc::api
