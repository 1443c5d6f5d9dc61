// Converts what prometheus-cpp collects (the daemon's meta-metrics) into the
// exposition writer's families, so they can be merged with stored families
// and written by one writer.
//
// A counter `foo_total` becomes OpenMetrics family `foo` with sample
// `foo_total`; a histogram `h` gets samples h_bucket{le}, h_sum, h_count; a
// summary `s` gets s{quantile}, s_sum, s_count. The le and quantile values are
// spelled as client_golang spells them in each format ("1" in text 0.0.4,
// "1.0" in OpenMetrics), which is why the format is an argument.
//
// Thread-safety: stateless function.
#pragma once

#include <vector>

#include <prometheus/metric_family.h>

#include "common/exposition/exposition_format.hpp"
#include "common/exposition/writer.hpp"

namespace mc {

std::vector<ExposedFamily> exposed_families_from_registry(
    const std::vector<prometheus::MetricFamily>& families, ExpositionFormat format);

}  // namespace mc
