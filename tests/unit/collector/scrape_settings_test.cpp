#include "collector/scrape/scrape_settings.hpp"

#include <catch2/catch.hpp>

namespace mc {
namespace {

ScrapeConfig job() {
  ScrapeConfig config;
  config.job_name = "app";
  config.scrape_interval = std::chrono::seconds(15);
  config.scrape_timeout = std::chrono::seconds(10);
  config.static_configs = {StaticConfig{{"a:9100"}, {}}};
  return config;
}

TEST_CASE("same_scrape_settings ignores the targets and sees every setting", "[scrape_settings]") {
  ScrapeConfig other_targets = job();
  other_targets.static_configs = {StaticConfig{{"b:9100", "c:9100"}, {{"env", "prod"}}}};
  CHECK(same_scrape_settings(job(), other_targets));

  std::vector<std::pair<const char*, void (*)(ScrapeConfig&)>> changes = {
      {"job_name", [](ScrapeConfig& c) { c.job_name = "other"; }},
      {"scrape_interval", [](ScrapeConfig& c) { c.scrape_interval = std::chrono::seconds(5); }},
      {"scrape_timeout", [](ScrapeConfig& c) { c.scrape_timeout = std::chrono::seconds(5); }},
      {"metrics_path", [](ScrapeConfig& c) { c.metrics_path = "/other"; }},
      {"scheme", [](ScrapeConfig& c) { c.scheme = "https"; }},
      {"params", [](ScrapeConfig& c) { c.params["module"] = {"x"}; }},
      {"honor_labels", [](ScrapeConfig& c) { c.honor_labels = true; }},
      {"honor_timestamps", [](ScrapeConfig& c) { c.honor_timestamps = false; }},
      {"body_size_limit", [](ScrapeConfig& c) { c.body_size_limit = 1; }},
      {"sample_limit", [](ScrapeConfig& c) { c.sample_limit = 1; }},
      {"label_limit", [](ScrapeConfig& c) { c.label_limit = 1; }},
      {"label_name_length_limit", [](ScrapeConfig& c) { c.label_name_length_limit = 1; }},
      {"label_value_length_limit", [](ScrapeConfig& c) { c.label_value_length_limit = 1; }},
  };
  for (const auto& [field, change] : changes) {
    INFO(field);
    ScrapeConfig changed = job();
    change(changed);
    CHECK_FALSE(same_scrape_settings(job(), changed));
  }
}

}  // namespace
}  // namespace mc
