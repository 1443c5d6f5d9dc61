// ProcessCollector: the standard process metrics, read from /proc/self at
// collect time as client_golang's process collector reads them:
//
//   process_cpu_seconds_total       user + system CPU time (utime + stime)
//   process_resident_memory_bytes   rss pages * page size
//   process_virtual_memory_bytes    vsize
//   process_open_fds                entries of /proc/self/fd
//   process_max_fds                 soft RLIMIT_NOFILE
//   process_start_time_seconds      boot time + starttime ticks / CLK_TCK
//
// A value that cannot be read (no /proc) is left out rather than reported as 0.
//
// Thread-safety: Collect() may run on many threads at once; the constructor
// reads the constants (page size, clock ticks, start time) once.
#pragma once

#include <optional>
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

namespace mc {

class ProcessCollector final : public prometheus::Collectable {
 public:
  ProcessCollector();
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  double page_size_bytes_;
  double clock_ticks_per_second_;
  std::optional<double> start_time_seconds_;
};

}  // namespace mc
