#include "exporter/family_set.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace mc {
namespace {

Labels series_labels(std::string name, std::string job) {
  return Labels{{std::string(kMetricNameLabel), std::move(name)}, {"job", std::move(job)}};
}

TEST_CASE("a stored family and a registry family of the same name are one block", "[family_set]") {
  FamilySet set;
  ExposedFamily registry_family{{"widgets", MetricType::counter, "Widgets made.", ""}, {}};
  registry_family.series.push_back(
      {Labels{{std::string(kMetricNameLabel), "widgets_total"}}, 4, std::nullopt});
  set.add_registry_family(std::move(registry_family));
  // Scraped in text 0.0.4, the family is named after the sample.
  MetricMetadata scraped{"widgets_total", MetricType::counter, "Widgets made.", ""};
  set.add_stored_series(series_labels("widgets_total", "self"), &scraped, Sample{1000, 3});

  auto families = set.take();
  REQUIRE(families.size() == 1);
  CHECK(families[0].metadata.family == "widgets");
  CHECK(families[0].series.size() == 2);
  CHECK(set.type_conflicts().empty());

  std::string out;
  write_exposition(out, families, ExpositionFormat::prometheus_text);
  CHECK(out ==
        "# HELP widgets_total Widgets made.\n"
        "# TYPE widgets_total counter\n"
        "widgets_total 4\n"
        "widgets_total{job=\"self\"} 3 1000\n");
}

TEST_CASE("on a type conflict the registry's metadata wins and is reported", "[family_set]") {
  FamilySet set;
  MetricMetadata scraped{"temperature", MetricType::counter, "Scraped.", ""};
  set.add_stored_series(series_labels("temperature_total", "a"), &scraped, Sample{1000, 3});
  ExposedFamily registry_family{{"temperature", MetricType::gauge, "Own.", ""}, {}};
  registry_family.series.push_back(
      {Labels{{std::string(kMetricNameLabel), "temperature"}}, 20, std::nullopt});
  set.add_registry_family(std::move(registry_family));

  CHECK(set.type_conflicts() == std::vector<std::string>{"temperature"});
  auto families = set.take();
  REQUIRE(families.size() == 1);
  CHECK(families[0].metadata.type == MetricType::gauge);
  CHECK(families[0].metadata.help == "Own.");
  std::string out;
  auto stats = write_exposition(out, families, ExpositionFormat::openmetrics);
  CHECK(out == "# HELP temperature Own.\n# TYPE temperature gauge\ntemperature 20.0\n# EOF\n");
  CHECK(stats.misfits_skipped == 1);
}

TEST_CASE("stored metadata is chosen independently of visiting order", "[family_set]") {
  MetricMetadata first{"load", MetricType::gauge, "Load A.", ""};
  MetricMetadata second{"load", MetricType::gauge, "Load B.", ""};
  for (bool reversed : {false, true}) {
    FamilySet set;
    set.add_stored_series(series_labels("load", "a"), reversed ? &second : &first, {1, 1});
    set.add_stored_series(series_labels("load", "b"), reversed ? &first : &second, {1, 2});
    set.add_stored_series(series_labels("load", "c"), nullptr, {1, 3});
    set.add_stored_series(series_labels("load", "d"), &first, {1, stale_nan()});
    auto families = set.take();
    REQUIRE(families.size() == 1);
    CHECK(families[0].metadata.help == "Load A.");
    CHECK(families[0].series.size() == 3);  // the stale one is not kept
  }
}

TEST_CASE("series without metadata are unknown families named after them", "[family_set]") {
  FamilySet set;
  set.add_stored_series(series_labels("up", "a"), nullptr, {5, 1});
  auto families = set.take();
  REQUIRE(families.size() == 1);
  CHECK(families[0].metadata == MetricMetadata{"up", MetricType::unknown, "", ""});
}

}  // namespace
}  // namespace mc
