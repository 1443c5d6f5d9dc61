#include "common/config/storage_defaults.hpp"

#include <algorithm>
#include <numeric>

#include "common/config/config.hpp"

namespace mc {

std::vector<StorageTierConfig> default_storage_tiers(std::chrono::milliseconds raw_block_duration) {
  using std::chrono::days;
  using std::chrono::hours;
  using std::chrono::minutes;
  std::vector<StorageTierConfig> tiers{
      {.name = "raw",
       .resolution = Duration(0),
       .retention = days(7),
       .block_duration = raw_block_duration},
      {.name = "5m",
       .resolution = minutes(5),
       .retention = days(30),
       .block_duration = Duration(0)},
      {.name = "1h", .resolution = hours(1), .retention = days(365), .block_duration = Duration(0)},
  };
  for (size_t i = 1; i < tiers.size(); ++i) {
    tiers[i].block_duration =
        default_tier_block_duration(tiers[i].resolution, tiers[i - 1].block_duration);
  }
  return tiers;
}

std::chrono::milliseconds default_tier_block_duration(
    std::chrono::milliseconds resolution, std::chrono::milliseconds finer_block_duration) {
  // Whole windows and whole finer blocks.
  const int64_t step = std::lcm(resolution.count(), finer_block_duration.count());
  const int64_t wanted = resolution.count() * kWindowsPerBlock;
  const int64_t steps = (wanted + step - 1) / step;
  return std::chrono::milliseconds(std::max<int64_t>(steps, 1) * step);
}

}  // namespace mc
