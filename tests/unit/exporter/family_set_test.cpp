#include "exporter/family_set.hpp"

#include <catch2/catch.hpp>

#include <memory>

#include <string>
#include <vector>

namespace mc {
namespace {

SharedLabels series_labels(std::string name, std::string job) {
  return SharedLabels(
      Labels{{std::string(kMetricNameLabel), std::move(name)}, {"job", std::move(job)}});
}

std::string written(std::vector<ExposedFamily> families, ExpositionFormat format) {
  std::string out;
  write_exposition(out, families, format);
  return out;
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

  auto families = set.take(ExpositionFormat::prometheus_text);
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
  MetricMetadata scraped{"temperature", MetricType::summary, "Scraped.", ""};
  set.add_stored_series(series_labels("temperature_count", "a"), &scraped, Sample{1000, 3});
  ExposedFamily registry_family{{"temperature", MetricType::gauge, "Own.", ""}, {}};
  registry_family.series.push_back(
      {Labels{{std::string(kMetricNameLabel), "temperature"}}, 20, std::nullopt});
  set.add_registry_family(std::move(registry_family));

  CHECK(set.type_conflicts() == std::vector<std::string>{"temperature"});
  auto families = set.take(ExpositionFormat::openmetrics);
  REQUIRE(families.size() == 1);
  CHECK(families[0].metadata.type == MetricType::gauge);
  CHECK(families[0].metadata.help == "Own.");
  std::string out;
  auto stats = write_exposition(out, families, ExpositionFormat::openmetrics);
  CHECK(out == "# HELP temperature Own.\n# TYPE temperature gauge\ntemperature 20.0\n# EOF\n");
  CHECK(stats.misfits_skipped == 1);
}

// node_exporter exposes both go_memstats_alloc_bytes (gauge) and
// go_memstats_alloc_bytes_total (counter): OpenMetrics would call both families
// go_memstats_alloc_bytes.
TEST_CASE("a gauge foo and a counter foo_total are two families in both formats", "[family_set]") {
  MetricMetadata gauge{"alloc_bytes", MetricType::gauge, "Allocated now.", ""};
  MetricMetadata counter{"alloc_bytes_total", MetricType::counter, "Allocated ever.", ""};
  for (bool counter_first : {false, true}) {
    auto fill = [&](FamilySet& set) {
      auto add_gauge = [&] {
        set.add_stored_series(series_labels("alloc_bytes", "a"), &gauge, {1000, 5});
      };
      auto add_counter = [&] {
        set.add_stored_series(series_labels("alloc_bytes_total", "a"), &counter, {1000, 9});
      };
      if (counter_first) {
        add_counter();
        add_gauge();
      } else {
        add_gauge();
        add_counter();
      }
    };
    FamilySet text_set;
    fill(text_set);
    CHECK(written(text_set.take(ExpositionFormat::prometheus_text),
                  ExpositionFormat::prometheus_text) ==
          "# HELP alloc_bytes_total Allocated ever.\n"
          "# TYPE alloc_bytes_total counter\n"
          "alloc_bytes_total{job=\"a\"} 9 1000\n"
          "# HELP alloc_bytes Allocated now.\n"
          "# TYPE alloc_bytes gauge\n"
          "alloc_bytes{job=\"a\"} 5 1000\n");
    FamilySet openmetrics_set;
    fill(openmetrics_set);
    CHECK(written(openmetrics_set.take(ExpositionFormat::openmetrics),
                  ExpositionFormat::openmetrics) ==
          "# HELP alloc_bytes Allocated now.\n"
          "# TYPE alloc_bytes gauge\n"
          "alloc_bytes{job=\"a\"} 5.0 1\n"
          "# HELP alloc_bytes_total Allocated ever.\n"
          "# TYPE alloc_bytes_total unknown\n"
          "alloc_bytes_total{job=\"a\"} 9.0 1\n"
          "# EOF\n");
  }
}

TEST_CASE("a counter without a same-named family keeps its type in OpenMetrics", "[family_set]") {
  FamilySet set;
  MetricMetadata counter{"requests_total", MetricType::counter, "", ""};
  set.add_stored_series(series_labels("requests_total", "a"), &counter, {1000, 9});
  // A series of that name without metadata joins it.
  set.add_stored_series(series_labels("requests_total", "b"), nullptr, {1000, 4});
  CHECK(written(set.take(ExpositionFormat::openmetrics), ExpositionFormat::openmetrics) ==
        "# TYPE requests counter\n"
        "requests_total{job=\"a\"} 9.0 1\n"
        "requests_total{job=\"b\"} 4.0 1\n"
        "# EOF\n");
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
    auto families = set.take(ExpositionFormat::prometheus_text);
    REQUIRE(families.size() == 1);
    CHECK(families[0].metadata.help == "Load A.");
    CHECK(families[0].series.size() == 3);  // the stale one is not kept
  }
}

TEST_CASE("series without metadata are unknown families named after them", "[family_set]") {
  FamilySet set;
  set.add_stored_series(series_labels("up", "a"), nullptr, {5, 1});
  auto families = set.take(ExpositionFormat::prometheus_text);
  REQUIRE(families.size() == 1);
  CHECK(families[0].metadata == MetricMetadata{"up", MetricType::unknown, "", ""});
}

}  // namespace
}  // namespace mc
