// The Prometheus HTTP API on the real daemon's port: the daemon scrapes a
// small target on 127.0.0.1, and every /api/v1 endpoint and /federate answers
// in Prometheus 2.42's JSON (or text), with its status codes and error texts.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <string>

#include "common/util/build_version.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_test_server.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kTargetBody =
    "# HELP shop_orders_total Orders placed.\n"
    "# TYPE shop_orders_total counter\n"
    "shop_orders_total{state=\"open\"} 3\n"
    "shop_orders_total{state=\"done\"} 40\n"
    "# HELP shop_temperature_celsius Oven <temperature>.\n"
    "# TYPE shop_temperature_celsius gauge\n"
    "shop_temperature_celsius 180.5\n";

// Percent-encodes a query parameter's value.
std::string encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '_' || c == '.' || c == '-') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// A daemon scraping one target every second, with external labels and query flags.
struct ApiFixture {
  HttpTestServer target;
  std::unique_ptr<DaemonRunner> daemon;

  ApiFixture() {
    target.set_response("/metrics", TestResponse{.body = std::string(kTargetBody)});
    daemon = std::make_unique<DaemonRunner>(
        fmt::format("global:\n  scrape_interval: 1s\n  external_labels:\n    site: lab\n"
                    "scrape_configs:\n  - job_name: shop\n"
                    "    static_configs:\n      - targets: [\"{}\"]\n",
                    target.address()),
        std::vector<std::string>{"--query.timeout=30s", "--query.max-samples=1000000"});
    const bool scraped = wait_until(
        [&] {
          return !get("/api/v1/series?match[]=up").body.empty() &&
                 get("/api/v1/series?match[]=up").body.find("\"job\":\"shop\"") !=
                     std::string::npos;
        },
        20s);
    INFO(daemon->log());
    REQUIRE(scraped);
  }

  HttpReply get(const std::string& path_and_query) const {
    return http_get(daemon->base_url() + path_and_query);
  }
  HttpReply post(const std::string& path, const std::string& form) const {
    HttpRequestOptions options;
    options.method = "POST";
    options.body = form;
    options.headers = {"Content-Type: application/x-www-form-urlencoded"};
    return http_request(daemon->base_url() + path, options);
  }
  std::string instance() const { return target.address(); }
};

std::string ok(const std::string& data) { return R"({"status":"success","data":)" + data + "}"; }

std::string bad_data(const std::string& message) {
  return R"({"status":"error","errorType":"bad_data","error":")" + message + "\"}";
}

TEST_CASE("API: series, labels and label values of the scraped target", "[api]") {
  ApiFixture api;
  const std::string instance = api.instance();

  HttpReply reply = api.get("/api/v1/series?match[]=shop_orders_total");
  CHECK(reply.status == 200);
  CHECK(reply.headers["content-type"] == "application/json");
  CHECK(reply.body ==
        ok(fmt::format(
            R"([{{"__name__":"shop_orders_total","instance":"{0}","job":"shop","state":"done"}},)"
            R"({{"__name__":"shop_orders_total","instance":"{0}","job":"shop","state":"open"}}])",
            instance)));
  // Grafana's label browser: series by a POSTed form, as it sends them.
  reply = api.post("/api/v1/series", "match%5B%5D=shop_temperature_celsius&start=0&end=" +
                                         std::to_string(std::time(nullptr) + 60));
  CHECK(reply.status == 200);
  CHECK(
      reply.body ==
      ok(fmt::format(R"([{{"__name__":"shop_temperature_celsius","instance":"{}","job":"shop"}}])",
                     instance)));

  reply = api.get("/api/v1/labels");
  CHECK(reply.body == ok(R"(["__name__","instance","job","state"])"));
  reply = api.get("/api/v1/labels?match[]=" + encode("shop_temperature_celsius"));
  CHECK(reply.body == ok(R"(["__name__","instance","job"])"));

  reply = api.get("/api/v1/label/__name__/values");
  CHECK(reply.body == ok(R"(["scrape_duration_seconds","scrape_samples_post_metric_relabeling",)"
                         R"("scrape_samples_scraped","scrape_series_added","shop_orders_total",)"
                         R"("shop_temperature_celsius","up"])"));
  reply = api.get("/api/v1/label/job/values?match[]=up");
  CHECK(reply.body == ok(R"(["shop"])"));
  reply = api.get("/api/v1/label/state/values?match[]=" + encode(R"({__name__=~"shop_.*"})"));
  CHECK(reply.body == ok(R"(["done","open"])"));
  // All time before the first scrape: nothing.
  reply = api.get("/api/v1/label/job/values?start=0&end=1");
  CHECK(reply.body == ok("[]"));
}

TEST_CASE("API: metadata, exemplars and federation", "[api]") {
  ApiFixture api;
  HttpReply reply = api.get("/api/v1/metadata?metric=shop_temperature_celsius");
  CHECK(reply.status == 200);
  CHECK(
      reply.body ==
      ok(R"({"shop_temperature_celsius":[{"type":"gauge","help":"Oven \u003ctemperature\u003e.","unit":""}]})"));
  CHECK(api.get("/api/v1/metadata?metric=shop_orders_total").body ==
        ok(R"({"shop_orders_total":[{"type":"counter","help":"Orders placed.","unit":""}]})"));
  // Unlike Prometheus, the report series have metadata too (the store keeps
  // what the scrape loop declares for them); families come sorted.
  reply = api.get("/api/v1/metadata");
  CHECK(
      reply.body.find(
          R"("shop_orders_total":[{"type":"counter","help":"Orders placed.","unit":""}],"shop_temperature_celsius":[)") !=
      std::string::npos);
  CHECK(reply.body.find(R"("up":[{"type":"gauge",)") != std::string::npos);
  CHECK(
      api.get("/api/v1/metadata?limit=1").body ==
      ok(R"({"scrape_duration_seconds":[{"type":"gauge","help":"How long the target's last scrape took.","unit":""}]})"));
  CHECK(api.get("/api/v1/metadata?metric=nothing").body == ok("{}"));

  CHECK(api.get("/api/v1/query_exemplars?query=up").body == ok("[]"));

  reply = api.get("/federate?match[]=shop_orders_total&match[]=" + encode(R"({__name__="up"})"));
  CHECK(reply.status == 200);
  CHECK(reply.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8");
  const std::string instance = api.instance();
  INFO(reply.body);
  CHECK(reply.body.starts_with(fmt::format(
      "# TYPE shop_orders_total untyped\n"
      "shop_orders_total{{instance=\"{0}\",job=\"shop\",state=\"done\",site=\"lab\"}} 40 ",
      instance)));
  CHECK(reply.body.find(fmt::format(
            "shop_orders_total{{instance=\"{0}\",job=\"shop\",state=\"open\",site=\"lab\"}} 3 ",
            instance)) != std::string::npos);
  CHECK(reply.body.find(fmt::format(
            "# TYPE up untyped\nup{{instance=\"{0}\",job=\"shop\",site=\"lab\"}} 1 ", instance)) !=
        std::string::npos);
  CHECK(api.get("/federate").body.empty());
}

TEST_CASE("API: status endpoints", "[api]") {
  ApiFixture api;
  HttpReply reply = api.get("/api/v1/status/buildinfo");
  CHECK(reply.status == 200);
  CHECK(reply.body.starts_with(
      fmt::format(R"({{"status":"success","data":{{"version":"{}","revision":"{}","branch":"",)",
                  build_version(), build_revision())));
  CHECK(reply.body.find(R"("goVersion":")") != std::string::npos);

  reply = api.get("/api/v1/status/flags");
  CHECK(reply.body.find(R"("query.timeout":"30s")") != std::string::npos);
  CHECK(reply.body.find(R"("query.max-samples":"1000000")") != std::string::npos);
  CHECK(reply.body.find(R"("query.lookback-delta":"5m")") != std::string::npos);
  CHECK(reply.body.find(R"("query.max-concurrency":"20")") != std::string::npos);

  reply = api.get("/api/v1/status/config");
  CHECK(reply.body.starts_with(
      R"({"status":"success","data":{"yaml":"global:\n  scrape_interval: 1s\n)"));
  CHECK(reply.body.find(fmt::format(R"(- job_name: shop\n)")) != std::string::npos);
  CHECK(reply.body.find(fmt::format(R"(    - {}\n)", api.instance())) != std::string::npos);

  reply = api.get("/api/v1/status/runtimeinfo");
  CHECK(reply.body.find(R"("reloadConfigSuccess":true)") != std::string::npos);
  CHECK(reply.body.find(R"("storageRetention":"raw 1w, 5m 30d, 1h 1y")") != std::string::npos);

  reply = api.get("/api/v1/status/tsdb");
  CHECK(reply.status == 200);
  // 2 + 1 target series and the 5 report series.
  CHECK(reply.body.find(R"({"headStats":{"numSeries":8,)") != std::string::npos);
  CHECK(reply.body.find(R"("seriesCountByMetricName":[{"name":"shop_orders_total","value":2},)") !=
        std::string::npos);
  CHECK(reply.body.find(R"({"name":"job=shop","value":8})") != std::string::npos);
}

TEST_CASE("API: bad parameters get Prometheus's status codes and error texts", "[api]") {
  ApiFixture api;
  HttpReply reply = api.get("/api/v1/series");
  CHECK(reply.status == 400);
  CHECK(reply.body == bad_data("no match[] parameter provided"));
  reply = api.get("/api/v1/series?match[]=up&start=x");
  CHECK(reply.status == 400);
  CHECK(
      reply.body ==
      bad_data(
          R"(invalid parameter \"start\": Invalid time value for 'start': cannot parse \"x\" to a valid timestamp)"));
  reply = api.get("/api/v1/series?match[]=" + encode("sum(up)"));
  CHECK(reply.status == 400);
  CHECK(reply.body ==
        bad_data(R"(invalid parameter \"match[]\": 1:4: parse error: unexpected \"(\")"));
  reply = api.get("/api/v1/series?match[]=" + encode(R"({a=""})"));
  CHECK(
      reply.body ==
      bad_data(
          R"(invalid parameter \"match[]\": match[] must contain at least one non-empty matcher)"));
  reply = api.get("/api/v1/label/foo-bar/values");
  CHECK(reply.status == 400);
  CHECK(reply.body == bad_data(R"(invalid label name: \"foo-bar\")"));
  CHECK(api.get("/api/v1/label/job").status == 404);
  reply = api.get("/api/v1/metadata?limit=x");
  CHECK(reply.status == 400);
  CHECK(reply.body == bad_data("limit must be a number"));
  reply = api.get("/api/v1/query_exemplars?query=" + encode("sum("));
  CHECK(reply.status == 400);
  CHECK(reply.body == bad_data("1:5: parse error: unclosed left parenthesis"));
  reply = api.get("/api/v1/labels?match[]=up%ZZ");
  CHECK(reply.status == 400);
  CHECK(reply.body.find("error parsing form values: ") != std::string::npos);
  reply = api.get("/federate?match[]=" + encode("up{"));
  CHECK(reply.status == 400);
  CHECK(reply.body == "1:4: parse error: unexpected end of input inside braces\n");
  // Routes Prometheus serves on GET only answer POST with 405.
  reply = api.post("/api/v1/status/buildinfo", "");
  CHECK(reply.status == 405);
  CHECK(reply.headers["allow"] == "GET, HEAD");
}

}  // namespace
}  // namespace mc::test
