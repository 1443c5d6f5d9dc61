// Whether two versions of a job scrape the same way: everything of a
// ScrapeConfig except its targets. A reload keeps a job's loops (their series
// caches and staleness state) only when this holds; otherwise the job's loops
// restart with the new settings.
#pragma once

#include "common/config/config.hpp"

namespace mc {

bool same_scrape_settings(const ScrapeConfig& a, const ScrapeConfig& b);

}  // namespace mc
