// The status pieces: tsdb cardinality as Prometheus 2.42 counts it, the
// config written back with its secret hidden, the envelope's status codes,
// and the status routes over a real head.
#include "exporter/api/api_status_routes.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "common/store/head_storage.hpp"
#include "exporter/api/api_config_yaml.hpp"
#include "exporter/api/api_response.hpp"
#include "exporter/api/api_tsdb_stats.hpp"

namespace mc::api {
namespace {

TEST_CASE("tsdb cardinality: top lists by count, pairs, bytes per label", "[exporter][api]") {
  const std::vector<Labels> series = {
      Labels{{"__name__", "up"}, {"job", "api"}},
      Labels{{"__name__", "up"}, {"job", "web"}},
      Labels{{"__name__", "requests_total"}, {"job", "api"}},
  };
  const TsdbStats stats = cardinality_stats(series);
  CHECK(stats.num_series == 3);
  CHECK(stats.num_label_pairs == 4);  // __name__=up, __name__=requests_total, job=api, job=web
  REQUIRE(stats.series_count_by_metric_name.size() == 2);
  CHECK(stats.series_count_by_metric_name[0].name == "up");
  CHECK(stats.series_count_by_metric_name[0].value == 2);
  CHECK(stats.series_count_by_metric_name[1].name == "requests_total");
  REQUIRE(stats.label_value_count_by_label_name.size() == 2);
  CHECK(stats.label_value_count_by_label_name[0].name == "__name__");
  CHECK(stats.label_value_count_by_label_name[0].value == 2);
  // __name__: "up" twice (4 bytes) and "requests_total" once (14); job: "api"
  // twice (6) and "web" once (3).
  REQUIRE(stats.memory_in_bytes_by_label_name.size() == 2);
  CHECK(stats.memory_in_bytes_by_label_name[0].name == "__name__");
  CHECK(stats.memory_in_bytes_by_label_name[0].value == 18);
  CHECK(stats.memory_in_bytes_by_label_name[1].value == 9);
  REQUIRE(stats.series_count_by_label_value_pair.size() == 4);
  CHECK(stats.series_count_by_label_value_pair[0].name == "__name__=up");
  CHECK(stats.series_count_by_label_value_pair[1].name == "job=api");
}

TEST_CASE("tsdb cardinality keeps the top 10", "[exporter][api]") {
  std::vector<Labels> series;
  for (int i = 0; i < 25; ++i) series.push_back(Labels{{"__name__", "m" + std::to_string(i)}});
  const TsdbStats stats = cardinality_stats(series);
  CHECK(stats.series_count_by_metric_name.size() == kTsdbStatsTop);
  CHECK(stats.series_count_by_label_value_pair.size() == kTsdbStatsTop);
  CHECK(stats.num_label_pairs == 25);
}

TEST_CASE("status/tsdb over a head: counts, times, and an empty head", "[exporter][api]") {
  HeadStorage storage;
  std::string json = tsdb_stats_json(read_tsdb_stats(storage));
  CHECK(json.starts_with(
      R"({"headStats":{"numSeries":0,"numLabelPairs":0,"chunkCount":0,"minTime":9223372036854775807,"maxTime":-9223372036854775808},"seriesCountByMetricName":[])"));
  auto appender = storage.appender();
  const AppendResult first = appender->append(0, Labels{{"__name__", "up"}}, 1000, 1);
  appender->append(first.ref, {}, 5000, 1);
  appender->append(0, Labels{{"__name__", "x"}}, 3000, 1);
  REQUIRE(appender->commit().is_ok());
  json = tsdb_stats_json(read_tsdb_stats(storage));
  CHECK(json.starts_with(
      R"({"headStats":{"numSeries":2,"numLabelPairs":2,"chunkCount":2,"minTime":1000,"maxTime":5000},"seriesCountByMetricName":[{"name":"up","value":1},{"name":"x","value":1}],)"));
}

TEST_CASE("status routes: flags sorted, config as given, GET only", "[exporter][api]") {
  HeadStorage storage;
  ApiOptions options;
  options.flags = {{"query.timeout", "2m"}, {"config.file", "a<b>.yml"}};
  options.config_yaml = [] { return std::string("global:\n  scrape_interval: 1m\n"); };
  std::vector<Route> routes = status_routes(storage, options);
  auto answer = [&](std::string_view pattern) {
    for (const Route& route : routes) {
      if (route.pattern != pattern) continue;
      CHECK_FALSE(route.post);
      return route.get(HttpRequest{}).body;
    }
    FAIL("no route " << pattern);
    return std::string();
  };
  CHECK(answer("/api/v1/status/flags") ==
        R"({"status":"success","data":{"config.file":"a\u003cb\u003e.yml","query.timeout":"2m"}})");
  CHECK(answer("/api/v1/status/config") ==
        R"({"status":"success","data":{"yaml":"global:\n  scrape_interval: 1m\n"}})");
  const std::string buildinfo = answer("/api/v1/status/buildinfo");
  CHECK(buildinfo.starts_with(R"({"status":"success","data":{"version":")"));
  CHECK(buildinfo.find(R"("branch":"","buildUser":"","buildDate":"","goVersion":")") !=
        std::string::npos);
  const std::string runtime = answer("/api/v1/status/runtimeinfo");
  CHECK(runtime.find(R"("reloadConfigSuccess":true)") != std::string::npos);
  CHECK(runtime.find(R"("startTime":"1970-01-01T00:00:00Z")") != std::string::npos);
  CHECK(runtime.find(R"("GOGC":"","GODEBUG":"")") != std::string::npos);
}

TEST_CASE("the envelope: error types and their HTTP status codes", "[exporter][api]") {
  CHECK(error(ApiErrorType::bad_data, "x").status == 400);
  CHECK(error(ApiErrorType::execution, "x").status == 422);
  CHECK(error(ApiErrorType::timeout, "x").status == 503);
  CHECK(error(ApiErrorType::canceled, "x").status == 503);
  CHECK(error(ApiErrorType::internal, "x").status == 500);
  CHECK(error(ApiErrorType::execution, "a \"b\"").body ==
        R"({"status":"error","errorType":"execution","error":"a \"b\""})");
  CHECK(success("[]", {"served by the 5m tier"}).body ==
        R"({"status":"success","data":[],"warnings":["served by the 5m tier"]})");
  CHECK(invalid_parameter("step", "why").body ==
        R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"step\": why"})");
}

TEST_CASE("config YAML: defaults filled, an inline DSN as <secret>", "[exporter][api]") {
  Config config;
  config.global.external_labels = {{"site", "lab"}};
  ScrapeConfig job;
  job.job_name = "node";
  job.scrape_interval = std::chrono::seconds(15);
  job.scrape_timeout = std::chrono::seconds(10);
  job.static_configs.push_back({{"127.0.0.1:9100"}, {{"team", "a b"}}});
  config.scrape_configs.push_back(job);
  SqlDatabaseConfig database;
  database.name = "shop";
  database.dsn = "postgres://app:hunter2@db/shop";
  SqlQueryConfig query;
  query.name = "orders";
  query.metric = "orders";
  query.help = "Orders: open.";
  query.sql = "SELECT count(*) AS n FROM orders";
  query.value_columns = {{"n", ""}};
  query.label_columns = {"state"};
  query.initial_label_values = {{"open"}, {"yes"}};
  database.queries.push_back(query);
  config.sql.databases.push_back(database);
  config.storage.tiers.push_back(
      {"raw", Duration(0), std::chrono::hours(24 * 7), std::chrono::hours(2)});

  const std::string yaml = config_yaml(config);
  CHECK(yaml.find("hunter2") == std::string::npos);
  CHECK(yaml.find("    dsn: <secret>\n") != std::string::npos);
  CHECK(yaml.starts_with("global:\n  scrape_interval: 1m\n  scrape_timeout: 10s\n"));
  CHECK(yaml.find("  external_labels:\n    site: lab\n") != std::string::npos);
  CHECK(yaml.find("scrape_configs:\n- job_name: node\n  honor_timestamps: true\n"
                  "  scrape_interval: 15s\n") != std::string::npos);
  CHECK(yaml.find("  static_configs:\n  - targets:\n    - 127.0.0.1:9100\n    labels:\n"
                  "      team: \"a b\"\n") != std::string::npos);
  CHECK(yaml.find("      help: \"Orders: open.\"\n") != std::string::npos);
  CHECK(yaml.find("      - [open]\n      - [\"yes\"]\n") != std::string::npos);
  CHECK(yaml.find("  tiers:\n  - resolution: raw\n    retention: 1w\n") != std::string::npos);
}

}  // namespace
}  // namespace mc::api
