// usable_cpus: a cgroup's CPU limit, read as Kubernetes writes it, rounds up
// and caps the CPUs the daemon sizes its threads by.
#include "common/util/usable_cpus.hpp"

#include <catch2/catch.hpp>
#include <thread>

namespace mc {
namespace {

TEST_CASE("cgroup v2 cpu.max: quota over period, rounded up; max is no limit", "[util][cpus]") {
  CHECK(cgroup_v2_cpu_limit("150000 100000\n") == 2);
  CHECK(cgroup_v2_cpu_limit("50000 100000") == 1);  // half a CPU
  CHECK(cgroup_v2_cpu_limit("400000 100000") == 4);
  CHECK(cgroup_v2_cpu_limit("max 100000\n") == std::nullopt);
  CHECK(cgroup_v2_cpu_limit("") == std::nullopt);
  CHECK(cgroup_v2_cpu_limit("12x 100000") == std::nullopt);
  CHECK(cgroup_v2_cpu_limit("100000 0") == std::nullopt);
}

TEST_CASE("cgroup v1 cfs quota and period; -1 is no limit", "[util][cpus]") {
  CHECK(cgroup_v1_cpu_limit("250000\n", "100000\n") == 3);
  CHECK(cgroup_v1_cpu_limit("-1\n", "100000\n") == std::nullopt);
  CHECK(cgroup_v1_cpu_limit("", "100000") == std::nullopt);
}

TEST_CASE("usable_cpus is at least one and at most the machine's", "[util][cpus]") {
  const int cpus = usable_cpus();
  CHECK(cpus >= 1);
  const unsigned machine = std::thread::hardware_concurrency();
  if (machine > 0) CHECK(cpus <= static_cast<int>(machine));
}

}  // namespace
}  // namespace mc
