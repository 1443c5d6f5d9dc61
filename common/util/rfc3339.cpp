#include "common/util/rfc3339.hpp"

#include <fmt/format.h>

#include <chrono>

namespace mc {

std::string format_rfc3339_ms(int64_t t_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds{t_ms}};
  const sys_days day = floor<days>(t);
  const year_month_day date{day};
  const hh_mm_ss time_of_day{t - day};
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z",
                     static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()), time_of_day.hours().count(),
                     time_of_day.minutes().count(), time_of_day.seconds().count(),
                     time_of_day.subseconds().count());
}

}  // namespace mc
