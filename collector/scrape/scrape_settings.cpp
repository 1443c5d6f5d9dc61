#include "collector/scrape/scrape_settings.hpp"

#include <tuple>

namespace mc {

namespace {

auto settings_of(const ScrapeConfig& job) {
  return std::tie(job.job_name, job.scrape_interval, job.scrape_timeout, job.metrics_path,
                  job.scheme, job.params, job.honor_labels, job.honor_timestamps,
                  job.body_size_limit, job.sample_limit, job.label_limit,
                  job.label_name_length_limit, job.label_value_length_limit, job.relabel_configs,
                  job.metric_relabel_configs, job.http_client);
}

// A field added to ScrapeConfig and missed above would let a reload keep loops
// that scrape with the old value; this fails the build instead, until the field
// is compared (or, like static_configs and the *_sd_configs, deliberately
// left out: they change targets, which a sync handles) and the size below
// updated.
constexpr size_t kComparedScrapeConfigSize = 824;
static_assert(sizeof(ScrapeConfig) == kComparedScrapeConfigSize,
              "ScrapeConfig changed: compare its new field in settings_of(), then update "
              "kComparedScrapeConfigSize");

}  // namespace

bool same_scrape_settings(const ScrapeConfig& a, const ScrapeConfig& b) {
  return settings_of(a) == settings_of(b);
}

}  // namespace mc
