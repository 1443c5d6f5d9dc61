// /api/v1/targets, /api/v1/targets/metadata and the /targets and
// /service-discovery pages over a real ScrapeManager (not started: no
// network), and the pieces Prometheus's output needs: Go's time format and
// getGlobalURL's host replacement.
#include "exporter/api/api_targets_routes.hpp"

#include <catch2/catch.hpp>

#include <prometheus/registry.h>

#include "collector/scrape/scrape_manager.hpp"
#include "common/store/head_storage.hpp"
#include "exporter/html_escape.hpp"
#include "exporter/target_pages.hpp"
#include "tests/support/config_parsing.hpp"

namespace mc::api {
namespace {

struct Fixture {
  HeadStorage storage;
  prometheus::Registry registry;
  ScrapeManager manager{storage, registry};
  std::vector<Route> routes;

  Fixture() {
    manager.apply_config(test::parse_config_ok(
        "scrape_configs:\n"
        "  - job_name: web\n"
        "    static_configs:\n"
        "      - targets: [\"127.0.0.1:8080\", \"skip:1\"]\n"
        "        labels: {note: \"<script>alert('x')</script> & \\\"q\\\"\"}\n"
        "    relabel_configs:\n"
        "      - source_labels: [__address__]\n"
        "        regex: skip:.*\n"
        "        action: drop\n"));
    routes = target_api_routes(manager, ExternalUrl{"http", "collector-host", "9993"});
  }

  HttpResponse get(std::string_view pattern, std::string_view query) {
    HttpRequest request;
    request.method = "GET";
    request.query_string = query;
    request.params_status = request.params.add_encoded(query);
    for (Route& route : routes) {
      if (route.pattern == pattern) return route.get(request);
    }
    FAIL("no route " << pattern);
    return {};
  }
};

TEST_CASE("targets API writes Prometheus 2.42's shape", "[exporter][api][targets]") {
  Fixture fixture;
  const HttpResponse all = fixture.get("/api/v1/targets", "");
  CHECK(all.status == 200);
  CHECK(all.body ==
        "{\"status\":\"success\",\"data\":{\"activeTargets\":[{\"discoveredLabels\":{"
        "\"__address__\":\"127.0.0.1:8080\",\"__metrics_path__\":\"/metrics\",\"__scheme__\":"
        "\"http\",\"__scrape_interval__\":\"1m\",\"__scrape_timeout__\":\"10s\",\"job\":\"web\","
        "\"note\":\"\\u003cscript\\u003ealert('x')\\u003c/script\\u003e \\u0026 \\\"q\\\"\"},"
        "\"labels\":{\"instance\":\"127.0.0.1:8080\",\"job\":\"web\",\"note\":\"\\u003cscript"
        "\\u003ealert('x')\\u003c/script\\u003e \\u0026 \\\"q\\\"\"},\"scrapePool\":\"web\","
        "\"scrapeUrl\":\"http://127.0.0.1:8080/metrics\",\"globalUrl\":"
        "\"http://collector-host:8080/metrics\",\"lastError\":\"\",\"lastScrape\":"
        "\"0001-01-01T00:00:00Z\",\"lastScrapeDuration\":0,\"health\":\"unknown\","
        "\"scrapeInterval\":\"1m\",\"scrapeTimeout\":\"10s\"}],\"droppedTargets\":[{"
        "\"discoveredLabels\":{\"__address__\":\"skip:1\",\"__metrics_path__\":\"/metrics\","
        "\"__scheme__\":\"http\",\"__scrape_interval__\":\"1m\",\"__scrape_timeout__\":\"10s\","
        "\"job\":\"web\",\"note\":\"\\u003cscript\\u003ealert('x')\\u003c/script\\u003e "
        "\\u0026 \\\"q\\\"\"}}]}}");

  const std::string empty_active = "{\"activeTargets\":[],";
  CHECK(fixture.get("/api/v1/targets", "state=dropped").body.find(empty_active) !=
        std::string::npos);
  CHECK(fixture.get("/api/v1/targets", "state=Active").body.find("\"droppedTargets\":[]}") !=
        std::string::npos);
  // An unknown state shows neither list, as Prometheus.
  CHECK(fixture.get("/api/v1/targets", "state=bogus").body ==
        "{\"status\":\"success\",\"data\":{\"activeTargets\":[],\"droppedTargets\":[]}}");
  // scrapePool keeps one job's targets in both lists.
  CHECK(fixture.get("/api/v1/targets", "scrapePool=other").body ==
        "{\"status\":\"success\",\"data\":{\"activeTargets\":[],\"droppedTargets\":[]}}");
  const std::string web = fixture.get("/api/v1/targets", "scrapePool=web").body;
  CHECK(web.find("127.0.0.1:8080") != std::string::npos);
  CHECK(web.find("skip:1") != std::string::npos);
}

TEST_CASE("scrape pools list every job, those without targets too", "[exporter][api][targets]") {
  Fixture fixture;
  fixture.manager.apply_config(
      test::parse_config_ok("scrape_configs:\n"
                            "  - job_name: zeta\n"
                            "    static_configs:\n"
                            "      - targets: [\"h:1\"]\n"
                            "  - job_name: alpha\n"));
  CHECK(fixture.get("/api/v1/scrape_pools", "").body ==
        "{\"status\":\"success\",\"data\":{\"scrapePools\":[\"alpha\",\"zeta\"]}}");
}

TEST_CASE("targets metadata API: parameters and errors", "[exporter][api][targets]") {
  Fixture fixture;
  // Not scraped yet: no families.
  CHECK(fixture.get("/api/v1/targets/metadata", "").body == "{\"status\":\"success\",\"data\":[]}");
  CHECK(fixture.get("/api/v1/targets/metadata", "match_target=%7Bjob%3D%22web%22%7D").status ==
        200);
  const HttpResponse bad_limit = fixture.get("/api/v1/targets/metadata", "limit=x");
  CHECK(bad_limit.status == 400);
  CHECK(bad_limit.body ==
        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"limit must be a number\"}");
  const HttpResponse bad_selector =
      fixture.get("/api/v1/targets/metadata", "match_target=%7Bjob%3D");
  CHECK(bad_selector.status == 400);
  CHECK(bad_selector.body.find("invalid parameter \\\"match_target\\\": ") != std::string::npos);
}

TEST_CASE("globalUrl replaces a loopback host as getGlobalURL does", "[exporter][api][targets]") {
  const ExternalUrl external{"https", "collector-host", "9993"};
  CHECK(global_url("http://127.0.0.1:9100/metrics?a=b", external) ==
        "http://collector-host:9100/metrics?a=b");
  CHECK(global_url("http://localhost:9100/metrics", external) ==
        "http://collector-host:9100/metrics");
  CHECK(global_url("http://[::1]:9100/metrics", external) == "http://collector-host:9100/metrics");
  // Its own port: the daemon scraping itself, reached by the external scheme.
  CHECK(global_url("http://127.0.0.1:9993/metrics", external) ==
        "https://collector-host:9993/metrics");
  CHECK(global_url("http://node-1:9100/metrics", external) == "http://node-1:9100/metrics");
  CHECK(global_url("http://[2001:db8::1]:9100/metrics", external) ==
        "http://[2001:db8::1]:9100/metrics");

  const ExternalUrl derived = default_external_url("127.0.0.1:19993", "http");
  CHECK(derived.port == "19993");
  CHECK(!derived.host.empty());
  CHECK(default_external_url(":9993", "http").port == "9993");
}

TEST_CASE("lastScrape is written as Go writes a time.Time in UTC", "[exporter][api][targets]") {
  CHECK(rfc3339_time(0) == "0001-01-01T00:00:00Z");
  CHECK(rfc3339_time(1796492780123) == "2026-12-05T17:46:20.123Z");
  CHECK(rfc3339_time(1796492780100) == "2026-12-05T17:46:20.1Z");
  CHECK(rfc3339_time(1796492780000) == "2026-12-05T17:46:20Z");
  CHECK(rfc3339_time(-1) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("the target pages escape what targets and discovery send", "[exporter][targets]") {
  Fixture fixture;
  const std::string page = targets_page_html(fixture.manager, "", false, 0);
  CHECK(page.find("<script>alert") == std::string::npos);
  CHECK(page.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;") !=
        std::string::npos);
  CHECK(page.find("http://127.0.0.1:8080/metrics") != std::string::npos);
  CHECK(page.find(">UNKNOWN<") != std::string::npos);
  CHECK(page.find(">never<") != std::string::npos);
  // Unknown is not up: the unhealthy filter keeps it; another job shows nothing.
  CHECK(targets_page_html(fixture.manager, "", true, 0).find("127.0.0.1:8080") !=
        std::string::npos);
  const std::string other_job = targets_page_html(fixture.manager, "other", false, 0);
  CHECK(other_job.find("127.0.0.1:8080") == std::string::npos);
  CHECK(other_job.find("No targets to show.") != std::string::npos);

  const std::string discovery = service_discovery_page_html(fixture.manager);
  CHECK(discovery.find("<script>alert") == std::string::npos);
  CHECK(discovery.find("__address__=&quot;skip:1&quot;") != std::string::npos);
  CHECK(discovery.find(">Dropped<") != std::string::npos);
  CHECK(discovery.find("(1 / 2 active targets)") != std::string::npos);

  std::string escaped;
  append_html_escaped(escaped, "a<b>&\"c\"'d'");
  CHECK(escaped == "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
}

}  // namespace
}  // namespace mc::api
