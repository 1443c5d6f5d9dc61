// The Prometheus HTTP API on the real daemon's port: the daemon scrapes a
// small target on 127.0.0.1, and every /api/v1 endpoint and /federate answers
// in Prometheus 2.42's JSON (or text), with its status codes and error texts.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "common/util/build_version.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_test_server.hpp"
#include "tests/support/temp_dir.hpp"

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

  explicit ApiFixture(std::vector<std::string> flags = {"--query.timeout=30s",
                                                        "--query.max-samples=1000000"}) {
    target.set_response("/metrics", TestResponse{.body = std::string(kTargetBody)});
    daemon = std::make_unique<DaemonRunner>(
        fmt::format("global:\n  scrape_interval: 1s\n  external_labels:\n    site: lab\n"
                    "scrape_configs:\n  - job_name: shop\n"
                    "    static_configs:\n      - targets: [\"{}\"]\n",
                    target.address()),
        std::move(flags));
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
  CHECK(reply.body.find(R"("query.workers":")") != std::string::npos);

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

TEST_CASE("API: instant and range queries as Grafana sends them", "[api]") {
  ApiFixture api;
  // "Save & test": 1+1 as an instant query.
  HttpReply reply = api.get("/api/v1/query?query=" + encode("1+1") + "&time=1796492776.501");
  CHECK(reply.status == 200);
  CHECK(reply.body == ok(R"({"resultType":"scalar","result":[1796492776.501,"2"]})"));
  reply = api.post("/api/v1/query", "query=" + encode("1+1") + "&time=2026-12-05T17:46:16.501Z");
  CHECK(reply.body == ok(R"({"resultType":"scalar","result":[1796492776.501,"2"]})"));
  reply = api.get("/api/v1/query?query=" + encode("\"a\"") + "&time=10");
  CHECK(reply.body == ok(R"({"resultType":"string","result":[10,"a"]})"));

  const std::string instance = api.instance();
  // A second ahead, so the first scrape (maybe later in this second) is before it.
  const int64_t now = std::time(nullptr) + 1;
  reply = api.get("/api/v1/query?query=" + encode("shop_temperature_celsius") +
                  "&time=" + std::to_string(now));
  CHECK(
      reply.body ==
      ok(fmt::format(
          R"({{"resultType":"vector","result":[{{"metric":{{"__name__":"shop_temperature_celsius","instance":"{}","job":"shop"}},"value":[{},"180.5"]}}]}})",
          instance, now)));
  // Missing time is now: the answer's timestamp is within the test's seconds.
  reply = api.get("/api/v1/query?query=" + encode("sum(shop_orders_total)"));
  CHECK(reply.status == 200);
  CHECK(reply.body.find(R"({"resultType":"vector","result":[{"metric":{},"value":[)") !=
        std::string::npos);
  CHECK(reply.body.ends_with(R"(,"43"]}]}})"));

  // A panel: query_range POSTed with start, end and a step they are aligned to.
  const int64_t end = now + now % 2;
  reply = api.post("/api/v1/query_range",
                   fmt::format("query={}&start={}&end={}&step=2",
                               encode("shop_temperature_celsius"), end - 4, end));
  INFO(reply.body);
  CHECK(reply.status == 200);
  CHECK(reply.body.starts_with(fmt::format(
      R"({{"status":"success","data":{{"resultType":"matrix","result":[{{"metric":{{"__name__":"shop_temperature_celsius","instance":"{}","job":"shop"}},"values":[)",
      instance)));
  CHECK(reply.body.find(fmt::format(R"([{},"180.5"]]}}]}}}})", end)) != std::string::npos);
  reply = api.get("/api/v1/query_range?query=" + encode("1") + "&start=10&end=12&step=1s");
  CHECK(
      reply.body ==
      ok(R"({"resultType":"matrix","result":[{"metric":{},"values":[[10,"1"],[11,"1"],[12,"1"]]}]})"));
}

TEST_CASE("API: query errors in Prometheus's words and status codes", "[api]") {
  ApiFixture api;
  HttpReply reply = api.get("/api/v1/query?query=" + encode("1+1") + "&time=abc");
  CHECK(reply.status == 400);
  CHECK(
      reply.body ==
      bad_data(
          R"(invalid parameter \"time\": Invalid time value for 'time': cannot parse \"abc\" to a valid timestamp)"));
  reply = api.get("/api/v1/query?query=up&timeout=x");
  CHECK(reply.body ==
        bad_data(R"(invalid parameter \"timeout\": cannot parse \"x\" to a valid duration)"));
  reply = api.get("/api/v1/query?query=" + encode("sum("));
  CHECK(reply.status == 400);
  CHECK(reply.body ==
        bad_data(R"(invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis)"));
  reply = api.get("/api/v1/query");
  CHECK(reply.body ==
        bad_data(R"(invalid parameter \"query\": 1:1: parse error: no expression found in input)"));
  reply = api.get("/api/v1/query?query=" + encode("rate(up)"));
  CHECK(
      reply.body ==
      bad_data(
          R"(invalid parameter \"query\": 1:6: parse error: expected type range vector in call to function \"rate\", got instant vector)"));

  reply = api.get("/api/v1/query_range?query=up&start=10&end=5&step=1");
  CHECK(reply.status == 400);
  CHECK(reply.body ==
        bad_data(R"(invalid parameter \"end\": end timestamp must not be before start time)"));
  reply = api.get("/api/v1/query_range?query=up&start=x&end=5&step=1");
  CHECK(reply.body ==
        bad_data(R"(invalid parameter \"start\": cannot parse \"x\" to a valid timestamp)"));
  reply = api.get("/api/v1/query_range?query=up&start=1&end=5&step=0");
  CHECK(
      reply.body ==
      bad_data(
          R"(invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer)"));
  reply = api.get("/api/v1/query_range?query=up&start=1&end=5");
  CHECK(reply.body ==
        bad_data(R"(invalid parameter \"step\": cannot parse \"\" to a valid duration)"));
  reply = api.get("/api/v1/query_range?query=up&start=1&end=50000&step=1");
  CHECK(reply.status == 400);
  CHECK(reply.body == bad_data("exceeded maximum resolution of 11,000 points per timeseries. Try "
                               "decreasing the query resolution (?step=XX)"));
  reply = api.get("/api/v1/query_range?query=" + encode("up[5m]") + "&start=1&end=5&step=1");
  CHECK(
      reply.body ==
      bad_data(
          R"(invalid expression type \"range vector\" for range query, must be Scalar or instant Vector)"));
  reply = api.get("/api/v1/query_range?query=" + encode("sum(") + "&start=1&end=5&step=1");
  CHECK(reply.body == bad_data("1:5: parse error: unclosed left parenthesis"));
}

// The same requests to the daemon and to Prometheus 2.42 scraping the same
// target under the same job name: the same status and the same bytes, for
// the answers that do not depend on when each scraped.
TEST_CASE("API: the daemon answers as Prometheus 2.42 does on the same data", "[api]") {
  if (access("/usr/bin/prometheus", X_OK) != 0) {
    WARN("skipped: /usr/bin/prometheus not found (Debian package prometheus)");
    return;
  }
  ApiFixture api;
  TempDir dir;
  const uint16_t prometheus_port = free_port();
  const auto config = dir.write_file(
      "prometheus.yml", fmt::format("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                                    "scrape_configs:\n  - job_name: shop\n"
                                    "    static_configs:\n      - targets: [\"{}\"]\n",
                                    api.instance()));
  ChildProcess prometheus({"/usr/bin/prometheus", "--config.file=" + config.string(),
                           "--storage.tsdb.path=" + (dir.path() / "data").string(),
                           fmt::format("--web.listen-address=127.0.0.1:{}", prometheus_port)},
                          dir.path() / "prometheus.log");
  const std::string prometheus_url = fmt::format("http://127.0.0.1:{}", prometheus_port);
  const bool scraped = wait_until(
      [&] {
        return http_get(prometheus_url + "/api/v1/series?match[]=shop_orders_total")
                   .body.find("\"state\":\"open\"") != std::string::npos;
      },
      40s);
  INFO(prometheus.output());
  REQUIRE(scraped);

  const int64_t later = std::time(nullptr) + 2;  // both have scraped by then
  const std::string at = "&time=" + std::to_string(later);
  const std::vector<std::string> requests = {
      "/api/v1/query?query=" + encode("1+1") + "&time=1796492776.501",
      "/api/v1/query?query=" + encode("shop_orders_total") + at,
      "/api/v1/query?query=" + encode("sum by (state) (shop_orders_total) * 2") + at,
      "/api/v1/query?query=" + encode("shop_temperature_celsius / 0") + at,
      "/api/v1/query?query=" + encode("-shop_temperature_celsius / 0") + at,
      "/api/v1/query?query=" + encode("vector(1.5e-7)") + at,
      "/api/v1/query?query=" + encode("\"<a&b>\"") + at,
      "/api/v1/query_range?query=" + encode("shop_temperature_celsius * 2") +
          "&start=" + std::to_string(later) + "&end=" + std::to_string(later + 4) + "&step=2",
      "/api/v1/series?match[]=shop_orders_total",
      "/api/v1/series?match[]=" + encode(R"(shop_orders_total{state="open"})") +
          "&match[]=shop_temperature_celsius",
      "/api/v1/labels?match[]=shop_orders_total",
      "/api/v1/label/state/values",
      "/api/v1/label/job/values?match[]=up",
      "/api/v1/metadata?metric=shop_orders_total",
      "/api/v1/metadata?metric=nothing",
      "/api/v1/query_exemplars?query=up",
      // errors
      "/api/v1/query?query=" + encode("sum(up"),
      "/api/v1/query?query=" + encode("rate(up)"),
      "/api/v1/query?query=up&time=abc",
      "/api/v1/query?query=up&timeout=x",
      "/api/v1/query?query=" + encode("up + on(job) group_left up{job=\"x\"}") + at,
      "/api/v1/query_range?query=up&start=10&end=5&step=1",
      "/api/v1/query_range?query=up&start=1&end=5&step=0",
      "/api/v1/query_range?query=up&start=1&end=50000&step=1",
      "/api/v1/query_range?query=" + encode("up[5m]") + "&start=1&end=5&step=1",
      "/api/v1/series",
      "/api/v1/series?match[]=" + encode("sum(up)"),
      "/api/v1/series?match[]=" + encode(R"({a=""})"),
      "/api/v1/series?match[]=up&start=x",
      "/api/v1/label/foo-bar/values",
      "/api/v1/metadata?limit=x",
  };
  for (const std::string& request : requests) {
    INFO(request);
    const HttpReply ours = api.get(request);
    const HttpReply theirs = http_get(prometheus_url + request);
    CHECK(ours.status == theirs.status);
    CHECK(ours.body == theirs.body);
  }
}

TEST_CASE("API: behind the port's basic auth like every other path", "[api]") {
  // bcrypt (cost 5) of the password, as web_security_test.cpp uses it.
  constexpr std::string_view kPassword = "Tr0ub4dor-xyzzy-42";
  constexpr std::string_view kHash = "$2y$05$y8FruYJB6V6C2eN7.tdVSOmwYDTvbeujx1kvrOU7dAVP6b3zNtyQq";
  TempDir dir;
  DaemonAccess access;
  access.request.basic_auth = "alice:" + std::string(kPassword);
  const auto web_config =
      dir.write_file("web.yml", fmt::format("basic_auth_users:\n  alice: {}\n", kHash));
  DaemonRunner daemon("global:\n  scrape_interval: 1s\n",
                      {"--web.config.file=" + web_config.string()}, access);
  const std::string query = daemon.base_url() + "/api/v1/query?query=" + encode("1+1") + "&time=10";
  CHECK(http_get(query).status == 401);
  CHECK(http_get(daemon.base_url() + "/api/v1/status/buildinfo").status == 401);
  CHECK(http_get(daemon.base_url() + "/federate?match[]=up").status == 401);
  HttpReply allowed = http_request(query, access.request);
  CHECK(allowed.status == 200);
  CHECK(allowed.body == ok(R"({"resultType":"scalar","result":[10,"2"]})"));
  HttpRequestOptions post = access.request;
  post.method = "POST";
  post.body = "query=1&start=10&end=11&step=1";
  post.headers = {"Content-Type: application/x-www-form-urlencoded"};
  allowed = http_request(daemon.base_url() + "/api/v1/query_range", post);
  CHECK(allowed.status == 200);
  CHECK(allowed.body ==
        ok(R"({"resultType":"matrix","result":[{"metric":{},"values":[[10,"1"],[11,"1"]]}]})"));
}

// Another Prometheus federates from the daemon (honor_labels: true, as the
// federation docs say) and stores what the target served, with the
// daemon's external labels.
TEST_CASE("API: Prometheus 2.42 federates from /federate", "[api]") {
  if (access("/usr/bin/prometheus", X_OK) != 0) {
    WARN("skipped: /usr/bin/prometheus not found (Debian package prometheus)");
    return;
  }
  ApiFixture api;
  TempDir dir;
  const uint16_t prometheus_port = free_port();
  const auto config = dir.write_file(
      "prometheus.yml",
      fmt::format("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                  "scrape_configs:\n  - job_name: federate\n    honor_labels: true\n"
                  "    metrics_path: /federate\n    params:\n      match[]: ['{{job=\"shop\"}}']\n"
                  "    static_configs:\n      - targets: [\"127.0.0.1:{}\"]\n",
                  api.daemon->port()));
  ChildProcess prometheus({"/usr/bin/prometheus", "--config.file=" + config.string(),
                           "--storage.tsdb.path=" + (dir.path() / "data").string(),
                           fmt::format("--web.listen-address=127.0.0.1:{}", prometheus_port)},
                          dir.path() / "prometheus.log");
  const std::string url = fmt::format("http://127.0.0.1:{}/api/v1/query?query=", prometheus_port);
  const std::string open_orders = encode(R"(shop_orders_total{state="open"})");
  const bool federated = wait_until(
      [&] { return http_get(url + open_orders).body.find("\"3\"]") != std::string::npos; }, 40s);
  INFO(prometheus.output());
  REQUIRE(federated);
  const HttpReply reply = http_get(url + open_orders);
  CHECK(
      reply.body.find(fmt::format(
          R"({{"metric":{{"__name__":"shop_orders_total","instance":"{}","job":"shop","site":"lab","state":"open"}},"value":[)",
          api.instance())) != std::string::npos);
  CHECK(http_get(url + encode(R"(shop_temperature_celsius{job="shop",site="lab"})"))
            .body.find("\"180.5\"]") != std::string::npos);
}

// A civetweb worker's stack overflowed at about 50 nested parentheses and
// took the daemon down; the deepest expressions the parser accepts now run.
TEST_CASE("API: the deepest expressions answer and the daemon lives", "[api]") {
  ApiFixture api;
  auto repeat = [](std::string_view piece, int times) {
    std::string text;
    for (int i = 0; i < times; ++i) text += piece;
    return text;
  };
  constexpr int kDepth = 998;
  const std::string at = "&time=1796495000";
  struct Case {
    std::string query;
    std::string result;
  };
  const std::vector<Case> cases = {
      {repeat("(", kDepth) + "1" + repeat(")", kDepth),
       R"("resultType":"scalar","result":[1796495000,"1"])"},
      {repeat("-", kDepth) + "1", R"("resultType":"scalar","result":[1796495000,"1"])"},
      {"1" + repeat("+1", kDepth), R"("resultType":"scalar","result":[1796495000,"999"])"},
      {"2" + repeat("^1", kDepth), R"("resultType":"scalar","result":[1796495000,"2"])"},
      {repeat("abs(", kDepth) + "vector(1)" + repeat(")", kDepth),
       R"("resultType":"vector","result":[{"metric":{},"value":[1796495000,"1"]}])"},
      {repeat("sum(", kDepth) + "vector(1)" + repeat(")", kDepth),
       R"("resultType":"vector","result":[{"metric":{},"value":[1796495000,"1"]}])"},
      {repeat("sum_over_time(", kDepth / 2) + "vector(1)" + repeat("[2s:1s])", kDepth / 2),
       R"("resultType":"vector","result":[)"},
  };
  for (const Case& deep : cases) {
    INFO(deep.query.substr(0, 40));
    const HttpReply reply = api.post("/api/v1/query", "query=" + encode(deep.query) + at);
    CHECK(reply.status == 200);
    CHECK(reply.body.find(deep.result) != std::string::npos);
  }
  HttpReply reply =
      api.get("/api/v1/query?query=" + encode(repeat("(", 1200) + "1" + repeat(")", 1200)));
  CHECK(reply.status == 400);
  CHECK(
      reply.body ==
      bad_data(
          R"(invalid parameter \"query\": 1:1001: parse error: expression nests too deeply: more than 1000 levels)"));
  reply =
      api.get("/api/v1/series?match[]=" + encode(repeat("(", kDepth) + "up" + repeat(")", kDepth)));
  CHECK(reply.status == 400);
  CHECK(api.get("/-/healthy").status == 200);
}

// Each query holds a web worker until it answers; slow ones must not leave
// /metrics and the health checks without one.
TEST_CASE("API: slow queries leave /metrics and health answering", "[api]") {
  // The default limits (the query below keeps 21,600 samples at a time).
  ApiFixture api(std::vector<std::string>{});
  constexpr int kSlowQueries = 6;  // more than the exporter's 4 usual workers
  // 11,000 steps of holt_winters over a 6 h subquery (21,600 points) each:
  // seconds of work in little memory, 2.8 s for six at once on an idle
  // 2-core machine. The earlier sum over a 3,000,000-step subquery took
  // 0.1 s there once the engine got faster, so all six had answered before
  // health was asked.
  const std::string slow = "query=" + encode("holt_winters(vector(1)[6h:1s], 0.5, 0.5)") +
                           "&start=1000000000&end=1000010999&step=1";
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kSlowQueries; ++i) {
    clients.emplace_back([&] {
      HttpRequestOptions options;
      options.method = "POST";
      options.body = slow;
      options.timeout = 120s;
      http_request(api.daemon->base_url() + "/api/v1/query_range", options);
      ++answered;
    });
  }
  std::this_thread::sleep_for(500ms);
  const int answered_before = answered.load();
  HttpRequestOptions quick;
  quick.timeout = 3s;
  const HttpReply healthy = http_request(api.daemon->base_url() + "/-/healthy", quick);
  const int answered_after = answered.load();
  const HttpReply metrics = http_request(api.daemon->base_url() + "/metrics", quick);
  for (std::thread& client : clients) client.join();
  // The slow queries were running when health was asked, and some still when it answered.
  CHECK(answered_before == 0);
  CHECK(answered_after < kSlowQueries);
  CHECK(healthy.status == 200);
  CHECK(metrics.status == 200);
}

TEST_CASE("API: bad --query.* flags stop the daemon with a message", "[api]") {
  auto bad_timeout = run_program({MC_DAEMON_BINARY, "--query.timeout=soon"});
  CHECK(bad_timeout.exit_status == 2);
  CHECK_THAT(bad_timeout.output, Catch::Contains("--query.timeout: not a valid duration string"));
  auto zero_lookback = run_program({MC_DAEMON_BINARY, "--query.lookback-delta=0s"});
  CHECK(zero_lookback.exit_status == 2);
  CHECK_THAT(zero_lookback.output,
             Catch::Contains("--query.lookback-delta: want a positive duration, got \"0s\""));
  auto bad_samples = run_program({MC_DAEMON_BINARY, "--query.max-samples=-1"});
  CHECK(bad_samples.exit_status == 2);
  CHECK_THAT(bad_samples.output, Catch::Contains("--query.max-samples: want a number from 1 to"));
  auto bad_concurrency = run_program({MC_DAEMON_BINARY, "--query.max-concurrency=0"});
  CHECK(bad_concurrency.exit_status == 2);
  CHECK_THAT(bad_concurrency.output,
             Catch::Contains("--query.max-concurrency: want a number from 1 to 1024, got \"0\""));
  auto bad_workers = run_program({MC_DAEMON_BINARY, "--query.workers=65"});
  CHECK(bad_workers.exit_status == 2);
  CHECK_THAT(bad_workers.output,
             Catch::Contains("--query.workers: want a number from 0 to 64, got \"65\""));
  auto help = run_program({MC_DAEMON_BINARY, "--help"});
  CHECK_THAT(help.output, Catch::Contains("--query.timeout=2m"));
  CHECK_THAT(help.output, Catch::Contains("--query.workers=CPUS-1"));
}

}  // namespace
}  // namespace mc::test
