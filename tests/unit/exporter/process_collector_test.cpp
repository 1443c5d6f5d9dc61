#include "exporter/process_collector.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <ctime>
#include <map>
#include <string>

namespace mc {
namespace {

std::map<std::string, double> collect_values(const prometheus::Collectable& collectable) {
  std::map<std::string, double> values;
  for (const auto& family : collectable.Collect()) {
    REQUIRE(family.metric.size() == 1);
    values[family.name] = family.type == prometheus::MetricType::Counter
                              ? family.metric[0].counter.value
                              : family.metric[0].gauge.value;
  }
  return values;
}

TEST_CASE("process metrics are read from /proc/self", "[process]") {
  ProcessCollector collector;
  auto values = collect_values(collector);
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  REQUIRE(values.size() == 6);
  CHECK(values.at("process_cpu_seconds_total") >= 0);
  CHECK(values.at("process_resident_memory_bytes") > 1024 * 1024);
  CHECK(values.at("process_virtual_memory_bytes") >= values.at("process_resident_memory_bytes"));
  CHECK(values.at("process_open_fds") >= 3);
  CHECK(values.at("process_max_fds") >= values.at("process_open_fds"));
  // This test binary started less than a day ago and not in the future.
  CHECK(values.at("process_start_time_seconds") > now - 86400);
  CHECK(values.at("process_start_time_seconds") <= now + 1);
}

double process_cpu_seconds() {
  timespec now{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

TEST_CASE("process CPU time grows with work", "[process]") {
  ProcessCollector collector;
  double before = collect_values(collector).at("process_cpu_seconds_total");
  // Work until this process has used 0.3 s of CPU by its own clock, not for a
  // stretch of wall time: on a loaded machine 300 ms of wall time can be far
  // less CPU. Bounded by a wall-clock limit so a broken clock cannot hang it.
  volatile double sink = 0;
  const double cpu_start = process_cpu_seconds();
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (process_cpu_seconds() - cpu_start < 0.3 && std::chrono::steady_clock::now() < give_up) {
    for (int i = 0; i < 10000; ++i) sink = sink + i * 0.5;
  }
  REQUIRE(process_cpu_seconds() - cpu_start >= 0.3);
  double after = collect_values(collector).at("process_cpu_seconds_total");
  CHECK(after - before >= 0.1);
}

}  // namespace
}  // namespace mc
