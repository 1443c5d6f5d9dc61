// A label set as Go's labels.Labels.String() writes it, which Prometheus 2.42
// puts in its matching errors: {__name__="up", job="api"}, every value
// strconv.Quote'd, the metric name as any other label.
//
// Pure function; safe from any thread.
#pragma once

#include <string>

#include "common/model/labels.hpp"

namespace mc::query {

std::string go_labels_text(const Labels& labels);

}  // namespace mc::query
