// single_value_family: a prometheus-cpp MetricFamily holding one unlabelled
// counter or gauge, for collectables that read a number at collect time
// (process metrics, store statistics).
#pragma once

#include <prometheus/metric_family.h>

#include <string>

namespace mc {

// REQUIRES: type is Counter or Gauge.
prometheus::MetricFamily single_value_family(std::string name, std::string help,
                                             prometheus::MetricType type, double value);

}  // namespace mc
