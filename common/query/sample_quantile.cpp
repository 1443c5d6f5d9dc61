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
  const double n = static_cast<double>(values.size());
  const double rank = phi * (n - 1);
  const double lower = std::max(0.0, std::floor(rank));
  const double upper = std::min(n - 1, lower + 1);
  const double weight = rank - std::floor(rank);
  return values[static_cast<size_t>(lower)] * (1 - weight) +
         values[static_cast<size_t>(upper)] * weight;
}

}  // namespace mc::query
