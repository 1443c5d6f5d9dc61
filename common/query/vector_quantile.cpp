#include "common/query/vector_quantile.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

namespace mc::query {

double vector_quantile(double q, std::vector<double> values) {
  if (values.empty() || std::isnan(q)) return std::numeric_limits<double>::quiet_NaN();
  if (q < 0) return -std::numeric_limits<double>::infinity();
  if (q > 1) return std::numeric_limits<double>::infinity();
  std::sort(values.begin(), values.end(), [](double a, double b) {
    if (std::isnan(a)) return !std::isnan(b);
    return a < b;
  });
  const auto count = static_cast<double>(values.size());
  const double rank = q * (count - 1);
  const double lower = std::max(0.0, std::floor(rank));
  const double upper = std::min(count - 1, lower + 1);
  const double weight = rank - std::floor(rank);
  return values[static_cast<size_t>(lower)] * (1 - weight) +
         values[static_cast<size_t>(upper)] * weight;
}

}  // namespace mc::query
