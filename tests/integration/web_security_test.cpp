// The exporter's own security with the real daemon on 127.0.0.1: TLS and
// mutual TLS (certificates made with the openssl CLI for each test), basic
// auth, and the lifecycle endpoints (/-/reload, /-/quit, SIGHUP).
#include <signal.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "exporter/tls_context.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certificates.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

// bcrypt (cost 5) of kPassword; made with crypt_rn.
constexpr const char* kPassword = "Tr0ub4dor-xyzzy-42";
constexpr const char* kHash = "$2y$05$y8FruYJB6V6C2eN7.tdVSOmwYDTvbeujx1kvrOU7dAVP6b3zNtyQq";

constexpr const char* kEmptyConfig = "global:\n  scrape_interval: 1s\n";

std::string web_config_flag(const TempDir& dir, const std::string& yaml) {
  return "--web.config.file=" + dir.write_file("web.yml", yaml).string();
}

std::string tls_section(const TestCertificates& certificates, const std::string& extra = "") {
  return fmt::format("tls_server_config:\n  cert_file: {}\n  key_file: {}\n{}",
                     certificates.server_cert.string(), certificates.server_key.string(), extra);
}

// TLS works wherever the daemon was built: its OpenSSL shims for civetweb
// sit beside it (exporter/tls_context.hpp). This process loads them too, so
// that it checks what the daemon will find.
#define REQUIRE_TLS_HERE()                                                               \
  do {                                                                                   \
    Status available =                                                                   \
        civetweb_tls_available({std::filesystem::path(MC_DAEMON_BINARY).parent_path()}); \
    INFO(available.message());                                                           \
    REQUIRE(available.is_ok());                                                          \
  } while (false)

HttpReply post(const std::string& url, HttpRequestOptions options = {}) {
  options.method = "POST";
  return http_request(url, options);
}

TEST_CASE("web security: with tls_server_config the port speaks https only", "[web_security]") {
  REQUIRE_TLS_HERE();
  TempDir dir;
  auto certificates = TestCertificates::generate(dir.path());
  DaemonAccess access{"https", {}};
  access.request.ca_file = certificates.ca_cert.string();
  DaemonRunner daemon(kEmptyConfig, {web_config_flag(dir, tls_section(certificates))}, access);

  HttpReply reply = http_request(daemon.base_url() + "/metrics", access.request);
  CHECK(reply.status == 200);
  CHECK(reply.body.find("metrics_collector_build_info") != std::string::npos);

  // Plain HTTP to the TLS port gets no HTTP answer.
  HttpReply plain = http_get("http://127.0.0.1:" + std::to_string(daemon.port()) + "/metrics");
  CHECK(plain.status == 0);
  // A client that does not trust our CA refuses the server.
  HttpReply untrusted = http_get(daemon.base_url() + "/metrics");
  CHECK(untrusted.status == 0);
  CHECK(daemon.stop() == 0);
}

TEST_CASE("web security: mutual TLS refuses a client without a certificate from the CA",
          "[web_security]") {
  REQUIRE_TLS_HERE();
  TempDir dir;
  auto certificates = TestCertificates::generate(dir.path());
  DaemonAccess access{"https", {}};
  access.request.ca_file = certificates.ca_cert.string();
  access.request.client_cert_file = certificates.client_cert.string();
  access.request.client_key_file = certificates.client_key.string();
  DaemonRunner daemon(
      kEmptyConfig,
      {web_config_flag(dir, tls_section(certificates, fmt::format("  client_auth_type: "
                                                                  "RequireAndVerifyClientCert\n"
                                                                  "  client_ca_file: {}\n",
                                                                  certificates.ca_cert.string())))},
      access);

  CHECK(http_request(daemon.base_url() + "/-/healthy", access.request).status == 200);

  HttpRequestOptions without_certificate;
  without_certificate.ca_file = certificates.ca_cert.string();
  CHECK(http_request(daemon.base_url() + "/-/healthy", without_certificate).status == 0);

  HttpRequestOptions stranger = without_certificate;
  stranger.client_cert_file = certificates.stranger_cert.string();
  stranger.client_key_file = certificates.stranger_key.string();
  CHECK(http_request(daemon.base_url() + "/-/healthy", stranger).status == 0);
  CHECK(daemon.stop() == 0);
}

TEST_CASE("web security: basic auth answers 401 unless the password is right, and never logs it",
          "[web_security]") {
  TempDir dir;
  DaemonAccess access;
  access.request.basic_auth = std::string("alice:") + kPassword;
  DaemonRunner daemon(kEmptyConfig,
                      {web_config_flag(dir, fmt::format("basic_auth_users:\n  alice: {}\n", kHash)),
                       "--log.level=debug"},
                      access);
  const std::string url = daemon.base_url() + "/metrics";

  HttpReply anonymous = http_get(url);
  CHECK(anonymous.status == 401);
  CHECK(anonymous.headers["www-authenticate"] == "Basic");
  HttpRequestOptions wrong;
  wrong.basic_auth = "alice:not-the-password";
  CHECK(http_request(url, wrong).status == 401);
  wrong.basic_auth = std::string("mallory:") + kPassword;
  CHECK(http_request(url, wrong).status == 401);
  // Every path is behind the password, health included (as exporter-toolkit).
  CHECK(http_get(daemon.base_url() + "/-/healthy").status == 401);

  HttpReply allowed = http_request(url, access.request);
  REQUIRE(allowed.status == 200);
  // The cache answers the second time; the answer must be the same.
  allowed = http_request(url, access.request);
  REQUIRE(allowed.status == 200);
  CHECK(exposed_value(
            allowed.body,
            "metrics_collector_http_auth_failures_total{reason=\"missing_credentials\"}") == 2);
  CHECK(exposed_value(allowed.body,
                      "metrics_collector_http_auth_failures_total{reason=\"wrong_password\"}") ==
        1);
  CHECK(exposed_value(allowed.body,
                      "metrics_collector_http_auth_failures_total{reason=\"unknown_user\"}") == 1);
  CHECK(exposed_value(allowed.body,
                      "metrics_collector_http_request_duration_seconds_count{handler=\"/metrics\"}")
            .has_value());

  daemon.stop();
  const std::string log = daemon.log();
  CHECK(log.find("exporter listening") != std::string::npos);
  CHECK(log.find(kPassword) == std::string::npos);
  CHECK(log.find("not-the-password") == std::string::npos);
  CHECK(log.find(kHash) == std::string::npos);
}

TEST_CASE("web security: the lifecycle endpoints are POST only and off by default",
          "[web_security]") {
  DaemonRunner daemon(kEmptyConfig);
  for (const char* path : {"/-/reload", "/-/quit"}) {
    INFO(path);
    HttpReply disabled = post(daemon.base_url() + path);
    CHECK(disabled.status == 403);
    CHECK(disabled.body == "Lifecycle API is not enabled.\n");
    HttpReply get = http_get(daemon.base_url() + path);
    CHECK(get.status == 405);
    CHECK(get.headers["allow"] == "POST");
  }
  CHECK(http_get(daemon.base_url() + "/-/healthy").status == 200);
}

TEST_CASE("web security: POST /-/reload applies a good config and keeps the old one on a bad one",
          "[web_security]") {
  DaemonRunner daemon(kEmptyConfig, {"--web.enable-lifecycle"});
  const std::string self = "127.0.0.1:" + std::to_string(daemon.port());
  const std::string up = fmt::format("up{{instance=\"{}\",job=\"self\"}}", self);
  CHECK(exposed_value(daemon.metrics(), "metrics_collector_config_last_reload_successful") == 1);
  CHECK_FALSE(exposed_value(daemon.metrics(), up).has_value());

  std::ofstream(daemon.config_file()) << fmt::format(
      "{}scrape_configs:\n  - job_name: self\n    metrics_path: /metrics/self\n"
      "    static_configs:\n      - targets: [\"{}\"]\n",
      kEmptyConfig, self);
  HttpReply reloaded = post(daemon.base_url() + "/-/reload");
  CHECK(reloaded.status == 200);
  CHECK(wait_until([&] { return exposed_value(daemon.metrics(), up) == 1; }, 15s));

  std::ofstream(daemon.config_file()) << "scrape_configs:\n  - job_nam: broken\n";
  HttpReply failed = post(daemon.base_url() + "/-/reload");
  CHECK(failed.status == 500);
  CHECK(failed.body.find("config.yml:2:5: unknown field \"job_nam\"") != std::string::npos);
  const std::string metrics = daemon.metrics();
  CHECK(exposed_value(metrics, "metrics_collector_config_last_reload_successful") == 0);
  // The old scrape goes on.
  CHECK(exposed_value(metrics, up) == 1);
  CHECK(daemon.stop() == 0);
  CHECK(daemon.log().find("error reloading config, keeping the old one") != std::string::npos);
}

TEST_CASE("web security: SIGHUP reloads the config", "[web_security]") {
  DaemonRunner daemon(kEmptyConfig);
  std::ofstream(daemon.config_file()) << "scrape_configs:\n  - job_nam: broken\n";
  ::kill(daemon.pid(), SIGHUP);
  CHECK(wait_until(
      [&] {
        return exposed_value(daemon.metrics(), "metrics_collector_config_last_reload_successful") ==
               0;
      },
      10s));
  std::ofstream(daemon.config_file()) << kEmptyConfig;
  ::kill(daemon.pid(), SIGHUP);
  CHECK(wait_until(
      [&] {
        return exposed_value(daemon.metrics(), "metrics_collector_config_last_reload_successful") ==
               1;
      },
      10s));
  CHECK(daemon.stop() == 0);
}

TEST_CASE("web security: POST /-/quit stops the daemon cleanly", "[web_security]") {
  DaemonRunner daemon(kEmptyConfig, {"--web.enable-lifecycle"});
  HttpReply reply = post(daemon.base_url() + "/-/quit");
  CHECK(reply.status == 200);
  CHECK(daemon.wait(10s) == 0);
  CHECK(daemon.log().find("stopped") != std::string::npos);
}

TEST_CASE("web security: a bad web config fails at start with file:line:col", "[web_security]") {
  TempDir dir;
  auto config = dir.write_file("config.yml", kEmptyConfig);
  auto web = dir.write_file("web.yml", "tls_server_config:\n  cert_fil: server.pem\n");
  RunResult result =
      run_program({MC_DAEMON_BINARY, "--config.file=" + config.string(),
                   "--web.config.file=" + web.string(), "--web.listen-address=127.0.0.1:0"},
                  {}, 20s);
  CHECK(result.exit_status == 2);
  CHECK(result.output.find(web.string() + ":2:3: unknown field \\\"cert_fil\\\" in "
                                          "tls_server_config") != std::string::npos);
}

TEST_CASE("web security: a key that does not match the certificate fails at start",
          "[web_security]") {
  REQUIRE_TLS_HERE();
  TempDir dir;
  auto certificates = TestCertificates::generate(dir.path());
  auto config = dir.write_file("config.yml", kEmptyConfig);
  auto web = dir.write_file(
      "web.yml", fmt::format("tls_server_config:\n  cert_file: {}\n  key_file: {}\n",
                             certificates.server_cert.string(), certificates.client_key.string()));
  RunResult result =
      run_program({MC_DAEMON_BINARY, "--config.file=" + config.string(),
                   "--web.config.file=" + web.string(), "--web.listen-address=127.0.0.1:0"},
                  {}, 20s);
  CHECK(result.exit_status == 1);
  CHECK(result.output.find("does not match cert_file") != std::string::npos);
}

// A daemon installed without its OpenSSL shims (here: a hard link to the
// binary in a directory of its own) would crash civetweb on the first https
// request; it refuses tls_server_config at start instead.
TEST_CASE("web security: without its OpenSSL shims the daemon refuses TLS at start, not crash",
          "[web_security]") {
  TempDir dir;
  auto certificates = TestCertificates::generate(dir.path());
  auto config = dir.write_file("config.yml", kEmptyConfig);
  const auto lonely = dir.path() / "metrics-collector";
  std::error_code error;
  std::filesystem::create_hard_link(MC_DAEMON_BINARY, lonely, error);
  if (error) std::filesystem::copy_file(MC_DAEMON_BINARY, lonely);
  RunResult result = run_program(
      {lonely.string(), "--config.file=" + config.string(),
       web_config_flag(dir, tls_section(certificates)), "--web.listen-address=127.0.0.1:0"},
      {}, 20s);
  CHECK(result.exit_status == 1);
  CHECK(result.output.find("TLS is not available") != std::string::npos);
}

}  // namespace
}  // namespace mc::test
