// The quickstart (examples/quickstart.yml) as a new user meets it: started as
// it is, on another port than the default, its /metrics must make sense on
// its own: every meta-metric once, and no scrape of anything, least of all of
// whatever else listens on :9993.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_client.hpp"

namespace mc::test {
namespace {

std::string quickstart_text() {
  std::ifstream in(MC_SOURCE_DIR "/examples/quickstart.yml");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("the quickstart's /metrics shows each meta-metric once and scrapes no port",
          "[quickstart]") {
  DaemonRunner daemon(quickstart_text());
  std::string body = daemon.metrics();
  INFO(body);
  INFO(daemon.log());

  std::map<std::string, int> type_lines, series_lines;
  std::istringstream lines(body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("# TYPE ")) {
      ++type_lines[line.substr(7, line.find(' ', 7) - 7)];
    } else if (!line.empty() && !line.starts_with("#")) {
      ++series_lines[line.substr(0, line.rfind(' '))];
    }
  }
  // The page is not empty: the daemon's own metrics are there.
  CHECK(type_lines.contains("metrics_collector_build_info"));
  CHECK(type_lines.size() >= 10);
  for (const auto& [family, count] : type_lines) {
    INFO("family " << family);
    CHECK(count == 1);
  }
  for (const auto& [series, count] : series_lines) {
    INFO("series " << series);
    CHECK(count == 1);
    // A stored copy of anything scraped would carry the target's labels.
    CHECK(series.find("instance=") == std::string::npos);
  }
  CHECK_FALSE(type_lines.contains("up"));
  // No target at all, so nothing on :9993 or any other port is ever scraped
  // (a first scrape may come up to an interval later; this says there is none).
  CHECK_THAT(daemon.log(), Catch::Contains("msg=\"scrape manager started\" targets=0 jobs=0"));
}

}  // namespace
}  // namespace mc::test
