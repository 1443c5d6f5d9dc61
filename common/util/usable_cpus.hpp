// How many CPUs this process may keep busy: the CPUs it may run on
// (sched_getaffinity) and, under a cgroup CPU limit (a Kubernetes
// container's resources.limits.cpu), that limit rounded up. A sidecar on a
// 64-core node limited to half a CPU must not start 63 query helpers: their
// bursts would use up the quota and stall every thread of the daemon, the
// scrapers included, until the next period.
//
// Thread-safety: free functions; usable_cpus() reads /proc and /sys each call.
#pragma once

#include <optional>
#include <string_view>

namespace mc {

// At least 1.
int usable_cpus();

// The CPU limit a cgroup file states, rounded up: cgroup v2's cpu.max
// ("150000 100000" -> 2; "max 100000" -> none), or cgroup v1's
// cpu.cfs_quota_us and cpu.cfs_period_us ("-1": none). Malformed: none.
std::optional<int> cgroup_v2_cpu_limit(std::string_view cpu_max);
std::optional<int> cgroup_v1_cpu_limit(std::string_view quota_us, std::string_view period_us);

}  // namespace mc
