// What the daemon tells an operator who deploys it: --help names the
// environment it reads, a POST /-/quit is logged as what it is (not as a
// SIGTERM nobody sent), and JSON logs keep numbers and booleans typed.
#include <catch2/catch.hpp>
#include <regex>

#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_client.hpp"

namespace mc::test {
namespace {

TEST_CASE("--help names the environment variables the daemon reads", "[deploy]") {
  auto result = run_program({MC_DAEMON_BINARY, "--help"});
  CHECK(result.exit_status == 0);
  CHECK_THAT(result.output, Catch::Contains("METRICS_TICK_DURATION"));
  CHECK_THAT(result.output, Catch::Contains("DATABASE_URL"));
  CHECK_THAT(result.output, Catch::Contains("dsn_env"));
  CHECK_THAT(result.output, Catch::Contains("Exit status"));
}

TEST_CASE("POST /-/quit is logged as a quit request, not as a signal", "[deploy]") {
  DaemonRunner daemon("scrape_configs: []\n", {"--web.enable-lifecycle"});
  HttpRequestOptions post;
  post.method = "POST";
  CHECK(http_request(daemon.base_url() + "/-/quit", post).status == 200);
  CHECK(daemon.wait(std::chrono::seconds(20)) == 0);
  INFO(daemon.log());
  CHECK_THAT(daemon.log(),
             Catch::Contains("msg=\"received a quit request\" request=\"POST /-/quit\""));
  CHECK_THAT(daemon.log(), !Catch::Contains("SIGTERM"));
}

TEST_CASE("SIGTERM is still logged as SIGTERM", "[deploy]") {
  DaemonRunner daemon("scrape_configs: []\n");
  CHECK(daemon.stop() == 0);
  CHECK_THAT(daemon.log(), Catch::Contains("msg=\"received a shutdown signal\" signal=SIGTERM"));
}

TEST_CASE("the daemon's JSON log writes counts unquoted", "[deploy]") {
  DaemonRunner daemon("scrape_configs: []\n", {"--log.format=json"});
  CHECK(daemon.stop() == 0);
  INFO(daemon.log());
  CHECK(std::regex_search(daemon.log(),
                          std::regex(R"("msg":"loaded config",.*"scrape_configs":0,)")));
}

}  // namespace
}  // namespace mc::test
