#include "exporter/single_value_family.hpp"

namespace mc {

prometheus::MetricFamily single_value_family(std::string name, std::string help,
                                             prometheus::MetricType type, double value) {
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return prometheus::MetricFamily{std::move(name), std::move(help), type, {std::move(metric)}};
}

}  // namespace mc
