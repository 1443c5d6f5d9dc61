// The /targets and /service-discovery pages as a user sees them: loaded in a
// real browser (Debian's headless Chromium, --dump-dom prints the DOM after
// the page ran), with one target up (HttpTestServer), one down (a closed
// port) and one dropped by relabeling. The health and job filters are the
// query parameters the page's filter form submits.
//
// deploy/install-deps.sh installs chromium, so CI (CI set in the environment)
// fails without it; elsewhere the test is skipped with a warning.
#include <unistd.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_test_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kChromium = "/usr/bin/chromium";

// The DOM Chromium prints for `url`, after the page's scripts ran.
std::string rendered_dom(const std::string& url) {
  TempDir profile;  // its own profile: tests may run at once
  RunResult result = run_program({kChromium, "--headless", "--no-sandbox", "--disable-gpu",
                                  "--log-level=3", "--user-data-dir=" + profile.path().string(),
                                  "--virtual-time-budget=3000", "--dump-dom", url},
                                 {}, 90s);
  INFO(result.output);
  REQUIRE(result.exit_status == 0);
  // stderr shares the output; the DOM is one block at its end.
  const size_t begin = result.output.find("<html");
  const size_t end = result.output.rfind("</html>");
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  return result.output.substr(begin, end + 7 - begin);
}

// The rows of the page's target tables, each as its HTML.
std::vector<std::string> rows(const std::string& dom, const std::string& row_start) {
  std::vector<std::string> found;
  for (size_t at = dom.find(row_start); at != std::string::npos; at = dom.find(row_start, at + 1)) {
    found.push_back(dom.substr(at, dom.find("</tr>", at) - at));
  }
  return found;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("the targets pages show up, down and dropped targets in a real browser",
          "[browser][targets]") {
  if (access(kChromium, X_OK) != 0) {
    const char* ci = std::getenv("CI");
    if (ci != nullptr && *ci != '\0') {
      FAIL(kChromium << " not found: deploy/install-deps.sh installs Debian's chromium");
    }
    WARN("skipped: " << kChromium << " not found (Debian package chromium; make deps installs it)");
    return;
  }
  HttpTestServer up;
  up.set_response("/metrics", TestResponse{.body = "# TYPE app_up gauge\napp_up 1\n"});
  const std::string down = fmt::format("127.0.0.1:{}", free_port());  // nothing listens
  DaemonRunner daemon(
      fmt::format("scrape_configs:\n"
                  "  - job_name: apps\n"
                  // Generous: Chromium starting takes the CPU; the up target must stay up.
                  "    scrape_interval: 3s\n"
                  "    scrape_timeout: 3s\n"
                  "    static_configs:\n"
                  "      - targets: [\"{}\", \"{}\"]\n"
                  "        labels: {{team: \"<b>bold</b>\"}}\n"
                  "      - targets: [\"dropped.example:80\"]\n"
                  "    relabel_configs:\n"
                  "      - source_labels: [__address__]\n"
                  "        regex: dropped.*\n"
                  "        action: drop\n"
                  "      - source_labels: [__address__]\n"
                  "        target_label: address_copy\n"
                  "  - job_name: side\n"
                  "    scrape_interval: 3s\n"
                  "    scrape_timeout: 3s\n"
                  "    static_configs:\n"
                  "      - targets: [\"{}\"]\n",
                  up.address(), down, up.address()));
  // Both apps targets scraped once, so the page has UP and DOWN to show.
  const bool scraped = wait_until(
      [&] {
        const std::string body = http_get(daemon.base_url() + "/api/v1/targets").body;
        return contains(body, "\"health\":\"down\"") && !contains(body, "\"health\":\"unknown\"");
      },
      20s);
  REQUIRE(scraped);

  const std::string page = rendered_dom(daemon.base_url() + "/targets");
  INFO(page);
  const std::vector<std::string> all = rows(page, "<tr class=\"target\"");
  REQUIRE(all.size() == 3);  // apps' two, side's one
  const std::string up_url = fmt::format("http://{}/metrics", up.address());
  const std::string down_url = fmt::format("http://{}/metrics", down);
  const std::string* up_row = nullptr;
  const std::string* down_row = nullptr;
  for (const std::string& row : all) {
    if (contains(row, ">" + down_url + "<")) down_row = &row;
    if (contains(row, ">" + up_url + "<") && contains(row, "team=")) up_row = &row;
  }
  REQUIRE(up_row != nullptr);
  REQUIRE(down_row != nullptr);
  CHECK(contains(*up_row, ">UP<"));
  CHECK(contains(*down_row, ">DOWN<"));
  CHECK(contains(*down_row, fmt::format("Get \"{}\": dial tcp {}: connect: connection refused",
                                        down_url, down)));
  // Labels after relabeling, escaped: the label value is text, not markup.
  CHECK(contains(*up_row, fmt::format("instance=\"{}\"", up.address())));
  CHECK(contains(*up_row, fmt::format("address_copy=\"{}\"", up.address())));
  CHECK(contains(*up_row, "team=\"&lt;b&gt;bold&lt;/b&gt;\""));
  CHECK(!contains(page, "<b>bold</b>"));
  // The labels before relabeling, on hover and under "Before relabeling".
  CHECK(contains(
      *up_row, fmt::format("title=\"Before relabeling: __address__=&quot;{}&quot;", up.address())));
  CHECK(contains(*up_row, "<summary>Before relabeling</summary>"));
  CHECK(contains(*up_row, "__metrics_path__=\"/metrics\""));
  CHECK(contains(*up_row, " ago</td>"));
  CHECK(contains(page, "apps <span class=\"count\">(1/2 up)</span>"));

  // Unhealthy only: the down target alone.
  const std::string unhealthy = rendered_dom(daemon.base_url() + "/targets?health=unhealthy");
  const std::vector<std::string> unhealthy_rows = rows(unhealthy, "<tr class=\"target\"");
  REQUIRE(unhealthy_rows.size() == 1);
  CHECK(contains(unhealthy_rows[0], ">DOWN<"));
  CHECK(contains(unhealthy_rows[0], down_url));
  CHECK(!contains(unhealthy, "data-job=\"side\""));
  // The form shows the filter in use.
  CHECK(contains(unhealthy, "value=\"unhealthy\" checked"));

  // One job.
  const std::string side = rendered_dom(daemon.base_url() + "/targets?job=side");
  REQUIRE(rows(side, "<tr class=\"target\"").size() == 1);
  CHECK(contains(side, "data-job=\"side\""));
  CHECK(!contains(side, "data-job=\"apps\""));

  // Service discovery: discovered labels -> target labels, the dropped one marked.
  const std::string discovery = rendered_dom(daemon.base_url() + "/service-discovery");
  INFO(discovery);
  const std::vector<std::string> active = rows(discovery, "<tr class=\"active\"");
  const std::vector<std::string> dropped = rows(discovery, "<tr class=\"dropped-target\"");
  CHECK(active.size() == 3);
  REQUIRE(dropped.size() == 1);
  CHECK(contains(dropped[0], "__address__=\"dropped.example:80\""));
  CHECK(contains(dropped[0], ">Dropped<"));
  CHECK(contains(discovery, "apps <span class=\"count\">(2 / 3 active targets)</span>"));
  bool down_mapped = false;
  for (const std::string& row : active) {
    down_mapped = down_mapped || (contains(row, fmt::format("__address__=\"{}\"", down)) &&
                                  contains(row, fmt::format("instance=\"{}\"", down)));
  }
  CHECK(down_mapped);

  // The landing page leads to both.
  const std::string landing = http_get(daemon.base_url() + "/").body;
  CHECK(contains(landing, "href=\"/targets\""));
  CHECK(contains(landing, "href=\"/service-discovery\""));
}

}  // namespace
}  // namespace mc::test
