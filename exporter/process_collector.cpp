#include "exporter/process_collector.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <string>
#include <string_view>

#include "common/util/read_file.hpp"
#include "exporter/single_value_family.hpp"

namespace mc {

namespace {

// The fields of /proc/self/stat after the command name, which may itself hold
// spaces and parentheses, so splitting starts after the last ')'.
// Index 0 is field 3 (state) of proc(5).
constexpr size_t kStatFirstField = 3;
constexpr size_t kUtime = 14 - kStatFirstField;
constexpr size_t kStime = 15 - kStatFirstField;
constexpr size_t kStartTime = 22 - kStatFirstField;
constexpr size_t kVsize = 23 - kStatFirstField;
constexpr size_t kRss = 24 - kStatFirstField;

struct ProcStat {
  double utime_ticks = 0;
  double stime_ticks = 0;
  double start_time_ticks = 0;
  double vsize_bytes = 0;
  double rss_pages = 0;
};

std::optional<ProcStat> read_proc_stat() {
  auto content = read_file("/proc/self/stat");
  if (!content) return std::nullopt;
  size_t close_paren = content->rfind(')');
  if (close_paren == std::string::npos) return std::nullopt;
  std::string_view rest = std::string_view(*content).substr(close_paren + 1);
  std::array<double, kRss + 1> fields{};
  size_t index = 0;
  while (index < fields.size()) {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.empty()) return std::nullopt;
    size_t end = rest.find(' ');
    std::string_view token = rest.substr(0, end);
    long long value = 0;
    std::from_chars(token.data(), token.data() + token.size(), value);  // state "R" stays 0
    fields[index++] = static_cast<double>(value);
    rest.remove_prefix(token.size());
  }
  return ProcStat{fields[kUtime], fields[kStime], fields[kStartTime], fields[kVsize], fields[kRss]};
}

std::optional<double> read_boot_time_seconds() {
  auto content = read_file("/proc/stat");
  if (!content) return std::nullopt;
  size_t at = content->find("\nbtime ");
  if (at == std::string::npos) return std::nullopt;
  std::string_view rest = std::string_view(*content).substr(at + 7);
  long long value = 0;
  auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
  if (error != std::errc()) return std::nullopt;
  return static_cast<double>(value);
}

std::optional<double> count_open_fds() {
  DIR* directory = ::opendir("/proc/self/fd");
  if (directory == nullptr) return std::nullopt;
  double count = 0;
  while (const dirent* entry = ::readdir(directory)) {
    if (entry->d_name[0] != '.') ++count;
  }
  ::closedir(directory);
  return count;
}

}  // namespace

ProcessCollector::ProcessCollector()
    : page_size_bytes_(static_cast<double>(::sysconf(_SC_PAGESIZE))),
      clock_ticks_per_second_(static_cast<double>(::sysconf(_SC_CLK_TCK))) {
  auto stat = read_proc_stat();
  auto boot_time = read_boot_time_seconds();
  if (stat && boot_time && clock_ticks_per_second_ > 0) {
    start_time_seconds_ = *boot_time + stat->start_time_ticks / clock_ticks_per_second_;
  }
}

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> families;
  families.reserve(6);
  if (auto stat = read_proc_stat(); stat && clock_ticks_per_second_ > 0) {
    families.push_back(single_value_family(
        "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
        MetricType::Counter, (stat->utime_ticks + stat->stime_ticks) / clock_ticks_per_second_));
    families.push_back(single_value_family("process_resident_memory_bytes",
                                           "Resident memory size in bytes.", MetricType::Gauge,
                                           stat->rss_pages * page_size_bytes_));
    families.push_back(single_value_family("process_virtual_memory_bytes",
                                           "Virtual memory size in bytes.", MetricType::Gauge,
                                           stat->vsize_bytes));
  }
  if (auto open_fds = count_open_fds()) {
    families.push_back(single_value_family("process_open_fds", "Number of open file descriptors.",
                                           MetricType::Gauge, *open_fds));
  }
  if (rlimit limit{}; ::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    families.push_back(single_value_family("process_max_fds",
                                           "Maximum number of open file descriptors.",
                                           MetricType::Gauge, static_cast<double>(limit.rlim_cur)));
  }
  if (start_time_seconds_) {
    families.push_back(single_value_family("process_start_time_seconds",
                                           "Start time of the process since unix epoch in seconds.",
                                           MetricType::Gauge, *start_time_seconds_));
  }
  return families;
}

}  // namespace mc
