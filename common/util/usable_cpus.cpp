#include "common/util/usable_cpus.hpp"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <thread>

#include "common/util/read_file.hpp"

namespace mc {
namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  return text;
}

std::optional<int64_t> number(std::string_view text) {
  text = trimmed(text);
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<int> limit(int64_t quota, int64_t period) {
  if (quota <= 0 || period <= 0) return std::nullopt;
  return static_cast<int>(std::max<int64_t>(1, (quota + period - 1) / period));
}

int affinity_cpus() {
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  if (sched_getaffinity(0, sizeof cpus, &cpus) == 0) return std::max(1, CPU_COUNT(&cpus));
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

std::optional<int> cgroup_v2_cpu_limit(std::string_view cpu_max) {
  cpu_max = trimmed(cpu_max);
  const size_t space = cpu_max.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const std::string_view quota = cpu_max.substr(0, space);
  if (quota == "max") return std::nullopt;
  const auto quota_us = number(quota);
  const auto period_us = number(cpu_max.substr(space + 1));
  if (!quota_us || !period_us) return std::nullopt;
  return limit(*quota_us, *period_us);
}

std::optional<int> cgroup_v1_cpu_limit(std::string_view quota_us, std::string_view period_us) {
  const auto quota = number(quota_us);
  const auto period = number(period_us);
  if (!quota || !period) return std::nullopt;
  return limit(*quota, *period);
}

int usable_cpus() {
  int cpus = affinity_cpus();
  // The process's own cgroup is the mount's root in a container; on a host
  // it may be a nested one this does not look up (no limit assumed).
  std::optional<int> limit;
  if (auto v2 = read_file("/sys/fs/cgroup/cpu.max")) {
    limit = cgroup_v2_cpu_limit(*v2);
  } else if (auto quota = read_file("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")) {
    if (auto period = read_file("/sys/fs/cgroup/cpu/cpu.cfs_period_us")) {
      limit = cgroup_v1_cpu_limit(*quota, *period);
    }
  }
  if (limit) cpus = std::min(cpus, *limit);
  return std::max(1, cpus);
}

}  // namespace mc
