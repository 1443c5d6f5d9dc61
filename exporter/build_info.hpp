// The build_info meta-metric: metrics_collector_build_info{version,revision,compiler} 1,
// as Prometheus exposes prometheus_build_info, so dashboards can tell versions apart.
//
// Thread-safety: register_build_info may be called from any thread (the
// registry locks); calling it twice with the same values is harmless.
#pragma once

#include <string>

#include <prometheus/registry.h>

#include "common/util/status.hpp"

namespace mc {

struct BuildInfo {
  std::string version;   // the daemon's version, e.g. "0.1.0"
  std::string revision;  // the git revision it was built from
  std::string compiler;  // e.g. "gcc 12.2.0"; compiler_description() by default
};

// The compiler this file was built with, e.g. "gcc 12.2.0".
std::string compiler_description();

// Adds the gauge to `registry`; fails (instead of throwing) when the name is
// taken by a metric of another type.
Status register_build_info(prometheus::Registry& registry, const BuildInfo& info);

}  // namespace mc
