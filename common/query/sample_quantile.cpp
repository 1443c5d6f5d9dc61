#include "common/query/sample_quantile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mc::query {

double sample_quantile(double phi, std::vector<double>& values) {
  if (values.empty() || std::isnan(phi)) return std::numeric_limits<double>::quiet_NaN();
  if (phi < 0) return -std::numeric_limits<double>::infinity();
  if (phi > 1) return std::numeric_limits<double>::infinity();
  // NaN sorts first, as 2.42's Less puts it; a strict weak order for std::sort.
  std::sort(values.begin(), values.end(), [](double a, double b) {
    if (std::isnan(a)) return !std::isnan(b);
    if (std::isnan(b)) return false;
    return a < b;
  });
  return sorted_sample_quantile(phi, values.size(), [&](size_t i) { return values[i]; });
}

}  // namespace mc::query
