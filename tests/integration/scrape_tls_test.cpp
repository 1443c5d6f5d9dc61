// Scraping targets over https with TLS and authentication (tls_config,
// basic_auth, authorization, bearer_token_file), against real TLS servers on
// 127.0.0.1 (the exporter's own HTTP server with certificates made by openssl
// in the test): each failure gives up 0 and a "scrape failed" line naming the
// target and the reason; rotated token, CA and certificate files are used
// without a reload; no secret reaches the log or /api/v1/status/config. Where
// /usr/bin/prometheus is installed, Prometheus 2.42 scrapes the same targets
// with the same jobs, and its `up` must equal ours.
#include <dlfcn.h>
#include <unistd.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <prometheus/registry.h>

#include "exporter/http_server.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certificates.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kSettle = 20s;
// bcrypt (cost 5) of kPassword, as in web_security_test.
constexpr const char* kPassword = "Tr0ub4dor-xyzzy-42";
constexpr const char* kHash = "$2y$05$y8FruYJB6V6C2eN7.tdVSOmwYDTvbeujx1kvrOU7dAVP6b3zNtyQq";
constexpr const char* kWrongPassword = "not-the-password-0451";
constexpr const char* kFirstToken = "first-token-5f2a";
constexpr const char* kSecondToken = "the-second-token-9c1e";
constexpr const char* kInlineToken = "inline-token-77d0";

// civetweb's TLS needs the OpenSSL 3 shims built beside the daemon
// (docs/configuration.md, Web security); the exporter looks for them beside
// its own binary, which here is this test's. Loaded once by path, they are
// what civetweb's dlopen by soname finds.
void load_civetweb_openssl_shims() {
  const auto directory = std::filesystem::path(MC_DAEMON_BINARY).parent_path();
  for (const char* library : {"libmc-civetweb-crypto.so", "libmc-civetweb-ssl.so"}) {
    INFO((directory / library).string());
    REQUIRE(::dlopen((directory / library).c_str(), RTLD_NOW) != nullptr);
  }
}

// A scrape target over TLS: the exporter's HTTP server with /metrics. It
// answers 401 unless the request carries `required_authorization` (when set),
// and remembers the last Authorization and Host headers it got.
class TlsTarget {
 public:
  explicit TlsTarget(WebConfig web_config, std::string required_authorization = "")
      : required_authorization_(std::move(required_authorization)) {
    RouteTable routes;
    REQUIRE(routes
                .add(Route{.pattern = "/metrics",
                           .get = [this](const HttpRequest& request) { return serve(request); },
                           .post = {}})
                .is_ok());
    load_civetweb_openssl_shims();
    HttpServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.worker_threads = 2;
    options.web_config = std::move(web_config);
    auto started = HttpServer::start(std::move(options), std::move(routes), registry_);
    INFO((started.is_ok() ? std::string() : started.error()));
    REQUIRE(started.is_ok());
    server_ = std::move(*started);
  }

  std::string address() const { return fmt::format("127.0.0.1:{}", server_->port()); }
  std::string last_authorization() const {
    std::lock_guard lock(mutex_);
    return last_authorization_;
  }
  std::string last_host() const {
    std::lock_guard lock(mutex_);
    return last_host_;
  }

 private:
  HttpResponse serve(const HttpRequest& request) {
    std::lock_guard lock(mutex_);
    last_authorization_ = std::string(request.header("Authorization"));
    last_host_ = std::string(request.header("Host"));
    if (!required_authorization_.empty() && last_authorization_ != required_authorization_) {
      return HttpResponse::text(401, "Unauthorized\n");
    }
    HttpResponse response = HttpResponse::text(200, "tls_target_value 1\n");
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return response;
  }

  prometheus::Registry registry_;
  std::string required_authorization_;
  mutable std::mutex mutex_;
  std::string last_authorization_;
  std::string last_host_;
  std::unique_ptr<HttpServer> server_;  // last: stopped first
};

WebConfig tls_web_config(const std::filesystem::path& cert, const std::filesystem::path& key) {
  WebConfig config;
  config.tls = TlsServerConfig{.cert_file = cert.string(), .key_file = key.string()};
  return config;
}

std::string up_series(const std::string& job, const std::string& instance) {
  return fmt::format("up{{instance=\"{}\",job=\"{}\"}}", instance, job);
}

std::string job_yaml(const std::string& job, const std::string& target, const std::string& extra,
                     const std::string& scheme = "https") {
  return fmt::format(
      "  - job_name: {}\n    scheme: {}\n    scrape_interval: 1s\n    scrape_timeout: 900ms\n{}"
      "    static_configs:\n      - targets: [\"{}\"]\n",
      job, scheme, extra, target);
}

// The first line of `log` holding every one of `parts`; "" when none.
std::string log_line_with(const std::string& log, const std::vector<std::string>& parts) {
  size_t start = 0;
  while (start < log.size()) {
    size_t end = log.find('\n', start);
    if (end == std::string::npos) end = log.size();
    std::string_view line(log.data() + start, end - start);
    bool all = true;
    for (const auto& part : parts) all = all && line.find(part) != std::string_view::npos;
    if (all) return std::string(line);
    start = end + 1;
  }
  return "";
}

// What a job should come to: up, and for a failure the words of its log line.
struct Expected {
  std::string job;
  std::string address;
  double up = 1;
  std::string error_contains;  // in the "scrape failed" line; for up 0
};

// The job's "scrape failed" line with the expected words. Not merely the
// first: on a loaded machine a scrape may also time out now and then.
std::string failure_line(const std::string& log, const Expected& job) {
  return log_line_with(log, {"msg=\"scrape failed\" job=" + job.job + " ",
                             "target=https://" + job.address + "/metrics", job.error_contains});
}

// Waits until every job shows its expected `up` (and failures their line),
// then checks the lines' words.
void check_jobs(const DaemonRunner& daemon, const std::vector<Expected>& jobs) {
  std::string body, log;
  auto settled = [&] {
    body = daemon.metrics();
    log = daemon.log();
    for (const Expected& job : jobs) {
      if (exposed_value(body, up_series(job.job, job.address)) != job.up) return false;
      if (job.up == 0 && failure_line(log, job).empty()) {
        return false;
      }
    }
    return true;
  };
  const bool seen = wait_until(settled, kSettle);
  INFO(body);
  INFO(log);
  for (const Expected& job : jobs) {
    INFO("job " << job.job);
    CHECK(exposed_value(body, up_series(job.job, job.address)) == job.up);
    if (job.up == 0) {
      CHECK_THAT(failure_line(log, job), Catch::Contains(job.error_contains));
    }
  }
  REQUIRE(seen);
}

void check_no_secret_in(const std::string& text) {
  for (const char* secret : {kPassword, kWrongPassword, kFirstToken, kSecondToken, kInlineToken}) {
    CHECK_THAT(text, !Catch::Contains(secret));
  }
}

// The value of `up` for a job in Prometheus's API ("" while it has none).
std::string prometheus_up(const std::string& prometheus_url, const std::string& job) {
  auto reply = http_get(prometheus_url + "/api/v1/query?query=up%7Bjob%3D%22" + job + "%22%7D");
  auto value_at = reply.body.find("\"value\":[");
  if (reply.status != 200 || value_at == std::string::npos) return "";
  auto open = reply.body.find(",\"", value_at);
  auto close = reply.body.find('"', open + 2);
  return reply.body.substr(open + 2, close - open - 2);
}

TEST_CASE(
    "https targets: CA, expiry, server_name, insecure_skip_verify, mutual TLS, TLS version, "
    "passwords",
    "[scrape_tls]") {
  TempDir dir;
  const auto certificates = TestCertificates::generate(dir.path());
  TlsTarget plain(tls_web_config(certificates.server_cert, certificates.server_key));
  TlsTarget expired(
      tls_web_config(certificates.expired_server_cert, certificates.expired_server_key));
  WebConfig mutual_config = tls_web_config(certificates.server_cert, certificates.server_key);
  mutual_config.tls->client_auth_type = ClientAuthType::require_and_verify_client_cert;
  mutual_config.tls->client_ca_file = certificates.ca_cert.string();
  // TLS 1.2 here: over 1.3 Go's client fails against civetweb's mutual TLS
  // ("local error: tls: unexpected message"), which would spoil the comparison
  // with Prometheus below; the rotation test covers mutual TLS 1.3.
  mutual_config.tls->max_version = TlsVersion::tls12;
  TlsTarget mutual(mutual_config);
  WebConfig basic_config = tls_web_config(certificates.server_cert, certificates.server_key);
  basic_config.basic_auth_users.emplace("alice", kHash);
  TlsTarget basic(basic_config);
  TlsTarget bearer(tls_web_config(certificates.server_cert, certificates.server_key),
                   fmt::format("Token {}", kInlineToken));
  const auto password_file = dir.write_file("password", std::string(kPassword) + "\n");

  const std::string ca = fmt::format("      ca_file: {}\n", certificates.ca_cert.string());
  const std::string config =
      "scrape_configs:\n" + job_yaml("good_ca", plain.address(), "    tls_config:\n" + ca) +
      job_yaml("wrong_ca", plain.address(),
               fmt::format("    tls_config:\n      ca_file: {}\n",
                           certificates.stranger_ca_cert.string())) +
      job_yaml("insecure", plain.address(),
               fmt::format("    tls_config:\n      ca_file: {}\n      insecure_skip_verify: true\n",
                           certificates.stranger_ca_cert.string())) +
      job_yaml("name_set", plain.address(),
               "    tls_config:\n" + ca + "      server_name: localhost\n") +
      job_yaml("name_mismatch", plain.address(),
               "    tls_config:\n" + ca + "      server_name: wrong.example\n") +
      job_yaml("relabeled", plain.address(),
               "    tls_config:\n" + ca +
                   "    relabel_configs:\n      - target_label: __scheme__\n"
                   "        replacement: https\n",
               "http") +
      job_yaml("expired", expired.address(), "    tls_config:\n" + ca) +
      job_yaml("mtls_ok", mutual.address(),
               fmt::format("    tls_config:\n{}      cert_file: {}\n      key_file: {}\n", ca,
                           certificates.client_cert.string(), certificates.client_key.string())) +
      job_yaml("mtls_none", mutual.address(), "    tls_config:\n" + ca) +
      // The mutual TLS server stops at TLS 1.2.
      job_yaml(
          "min_tls13", mutual.address(),
          fmt::format("    tls_config:\n{}      cert_file: {}\n      key_file: {}\n"
                      "      min_version: TLS13\n",
                      ca, certificates.client_cert.string(), certificates.client_key.string())) +
      job_yaml("basic_ok", basic.address(),
               fmt::format("    tls_config:\n{}    basic_auth:\n      username: alice\n"
                           "      password_file: {}\n",
                           ca, password_file.string())) +
      job_yaml("basic_wrong", basic.address(),
               fmt::format("    tls_config:\n{}    basic_auth:\n      username: alice\n"
                           "      password: {}\n",
                           ca, kWrongPassword)) +
      job_yaml("token_inline", bearer.address(),
               fmt::format("    tls_config:\n{}    authorization:\n      type: Token\n"
                           "      credentials: {}\n",
                           ca, kInlineToken)) +
      job_yaml("token_missing", bearer.address(),
               fmt::format("    tls_config:\n{}    bearer_token_file: {}\n", ca,
                           (dir.path() / "no-such-token").string()));
  DaemonRunner daemon(config);

  check_jobs(
      daemon,
      {
          {"good_ca", plain.address(), 1, ""},
          {"wrong_ca", plain.address(), 0,
           "SSL certificate problem: unable to get local issuer certificate"},
          {"insecure", plain.address(), 1, ""},
          {"name_set", plain.address(), 1, ""},
          {"name_mismatch", plain.address(), 0,
           "no alternative certificate subject name matches target host name "
           "'wrong.example'"},
          {"relabeled", plain.address(), 1, ""},
          {"expired", expired.address(), 0, "SSL certificate problem: certificate has expired"},
          {"mtls_ok", mutual.address(), 1, ""},
          {"mtls_none", mutual.address(), 0, "SSL routines::sslv3 alert handshake failure"},
          {"min_tls13", mutual.address(), 0, "reason=tls"},
          {"basic_ok", basic.address(), 1, ""},
          {"basic_wrong", basic.address(), 0, "server returned HTTP status 401 Unauthorized"},
          {"token_inline", bearer.address(), 1, ""},
          {"token_missing", bearer.address(), 0,
           "unable to read authorization credentials file " +
               (dir.path() / "no-such-token").string() + ": No such file or directory"},
      });
  // server_name changes the name verified, not the Host header.
  CHECK(plain.last_host() == plain.address());
  CHECK(bearer.last_authorization() == fmt::format("Token {}", kInlineToken));

  // The API's JSON writes '<' and '>' as Go does, \u003c and \u003e.
  std::string status = http_get(daemon.base_url() + "/api/v1/status/config").body;
  for (const auto& [escaped, plain_text] : {std::pair{"\\u003c", "<"}, std::pair{"\\u003e", ">"}}) {
    for (size_t at = status.find(escaped); at != std::string::npos; at = status.find(escaped)) {
      status.replace(at, std::string_view(escaped).size(), plain_text);
    }
  }
  CHECK_THAT(status,
             Catch::Contains("password: <secret>") && Catch::Contains("credentials: <secret>"));
  check_no_secret_in(status);
  check_no_secret_in(daemon.log());

  if (access("/usr/bin/prometheus", X_OK) != 0) {
    WARN("Prometheus 2.42 comparison skipped: /usr/bin/prometheus not found");
    return;
  }
  // The same jobs scraped by Prometheus 2.42: the same up for each.
  const uint16_t prometheus_port = free_port();
  const auto prometheus_config = dir.write_file("prometheus.yml", config);
  ChildProcess prometheus({"/usr/bin/prometheus", "--config.file=" + prometheus_config.string(),
                           "--storage.tsdb.path=" + (dir.path() / "prometheus-data").string(),
                           fmt::format("--web.listen-address=127.0.0.1:{}", prometheus_port)},
                          dir.path() / "prometheus.log");
  const std::string url = fmt::format("http://127.0.0.1:{}", prometheus_port);
  const std::vector<std::pair<std::string, std::string>> expected_up = {
      {"good_ca", "1"},       {"wrong_ca", "0"},  {"insecure", "1"},    {"name_set", "1"},
      {"name_mismatch", "0"}, {"relabeled", "1"}, {"expired", "0"},     {"mtls_ok", "1"},
      {"mtls_none", "0"},     {"basic_ok", "1"},  {"basic_wrong", "0"}, {"token_inline", "1"},
      {"token_missing", "0"}, {"min_tls13", "0"}};
  std::map<std::string, std::string> seen;
  wait_until(
      [&] {
        for (const auto& [job, up] : expected_up) seen[job] = prometheus_up(url, job);
        for (const auto& [job, up] : expected_up) {
          if (seen[job] != up) return false;
        }
        return true;
      },
      40s);
  INFO(prometheus.output());
  INFO(http_get(url + "/api/v1/targets").body);  // Prometheus's lastError of each
  for (const auto& [job, up] : expected_up) {
    INFO("job " << job);
    CHECK(seen[job] == up);
  }
}

TEST_CASE("https targets: rotated token, CA and client certificate files are used without a reload",
          "[scrape_tls]") {
  TempDir dir;
  const auto certificates = TestCertificates::generate(dir.path());
  TlsTarget bearer(tls_web_config(certificates.server_cert, certificates.server_key),
                   fmt::format("Bearer {}", kSecondToken));
  TlsTarget plain(tls_web_config(certificates.server_cert, certificates.server_key));
  WebConfig mutual_config = tls_web_config(certificates.server_cert, certificates.server_key);
  mutual_config.tls->client_auth_type = ClientAuthType::require_and_verify_client_cert;
  mutual_config.tls->client_ca_file = certificates.ca_cert.string();
  TlsTarget mutual(mutual_config);

  // Each starts wrong: an old token, the other CA, a client certificate the
  // server does not trust.
  const auto token_file = dir.write_file("token", std::string(kFirstToken) + "\n");
  const auto ca_file = dir.path() / "rotating-ca.pem";
  std::filesystem::copy_file(certificates.stranger_ca_cert, ca_file);
  const auto cert_file = dir.path() / "rotating-client.pem";
  const auto key_file = dir.path() / "rotating-client.key";
  std::filesystem::copy_file(certificates.stranger_cert, cert_file);
  std::filesystem::copy_file(certificates.stranger_key, key_file);
  const std::string ca = fmt::format("      ca_file: {}\n", certificates.ca_cert.string());
  DaemonRunner daemon(
      "scrape_configs:\n" +
      job_yaml(
          "token", bearer.address(),
          fmt::format("    tls_config:\n{}    bearer_token_file: {}\n", ca, token_file.string())) +
      job_yaml("ca", plain.address(),
               fmt::format("    tls_config:\n      ca_file: {}\n", ca_file.string())) +
      job_yaml("client_cert", mutual.address(),
               fmt::format("    tls_config:\n{}      cert_file: {}\n      key_file: {}\n", ca,
                           cert_file.string(), key_file.string())));
  check_jobs(daemon,
             {
                 {"token", bearer.address(), 0, "server returned HTTP status 401 Unauthorized"},
                 {"ca", plain.address(), 0, "SSL certificate problem"},
                 {"client_cert", mutual.address(), 0, "reason=connection"},
             });
  CHECK(bearer.last_authorization() == fmt::format("Bearer {}", kFirstToken));

  // Rotated on disk, as a secret mount or cert-manager would: the next
  // scrapes use the new files, with no reload.
  dir.write_file("token", std::string(kSecondToken) + "\n");
  std::filesystem::copy_file(certificates.ca_cert, ca_file,
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(certificates.client_cert, cert_file,
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(certificates.client_key, key_file,
                             std::filesystem::copy_options::overwrite_existing);
  check_jobs(daemon, {
                         {"token", bearer.address(), 1, ""},
                         {"ca", plain.address(), 1, ""},
                         {"client_cert", mutual.address(), 1, ""},
                     });
  CHECK(bearer.last_authorization() == fmt::format("Bearer {}", kSecondToken));
  check_no_secret_in(daemon.log());
  check_no_secret_in(http_get(daemon.base_url() + "/api/v1/status/config").body);
}

}  // namespace
}  // namespace mc::test
