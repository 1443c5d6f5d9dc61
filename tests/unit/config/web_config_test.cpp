// The web config (--web.config.file, exporter-toolkit's format): what it turns
// into, and the exact "file:line:col: message" of each error.
#include <catch2/catch.hpp>
#include <string>

#include "common/config/web_config.hpp"
#include "tests/support/temp_dir.hpp"

using mc::ClientAuthType;
using mc::TlsVersion;
using mc::WebConfig;

namespace {

// A bcrypt hash of "secret" at cost 4 (the exact value does not matter here).
const std::string kHash = "$2b$04$zBgxR4YfV5/hYD9wMh7.beO2IN8YY578k4Cl2Qy2bvWXtfUzUtWJW";

// A directory with empty cert.pem, key.pem and ca.pem: loading checks that
// the files can be read, not what they hold.
struct Files {
  mc::test::TempDir dir;
  Files() {
    dir.write_file("cert.pem", "");
    dir.write_file("key.pem", "");
    dir.write_file("ca.pem", "");
  }
  WebConfig parse_ok(const std::string& yaml) const {
    auto config = mc::parse_web_config(yaml, "web.yml", dir.path().string());
    if (!config) FAIL("unexpected error: " << config.error());
    return *config;
  }
  std::string parse_error(const std::string& yaml) const {
    auto config = mc::parse_web_config(yaml, "web.yml", dir.path().string());
    if (config) FAIL("the web config loaded; wanted an error");
    return config.error();
  }
};

}  // namespace

TEST_CASE("web config: an empty file means plain HTTP without authentication", "[web_config]") {
  Files files;
  WebConfig config = files.parse_ok("");
  CHECK_FALSE(config.tls.has_value());
  CHECK(config.basic_auth_users.empty());
  // As exporter-toolkit: an empty tls_server_config is no TLS.
  CHECK_FALSE(files.parse_ok("tls_server_config:\n").tls.has_value());
}

TEST_CASE("web config: a full file fills every field, paths relative to the file", "[web_config]") {
  Files files;
  WebConfig config = files.parse_ok(
      "tls_server_config:\n"
      "  cert_file: cert.pem\n"
      "  key_file: key.pem\n"
      "  client_auth_type: RequireAndVerifyClientCert\n"
      "  client_ca_file: ca.pem\n"
      "  min_version: TLS13\n"
      "basic_auth_users:\n"
      "  alice: " +
      kHash + "\n  bob: '" + kHash + "'\n");
  REQUIRE(config.tls.has_value());
  CHECK(config.tls->cert_file == (files.dir.path() / "cert.pem").string());
  CHECK(config.tls->key_file == (files.dir.path() / "key.pem").string());
  CHECK(config.tls->client_ca_file == (files.dir.path() / "ca.pem").string());
  CHECK(config.tls->client_auth_type == ClientAuthType::require_and_verify_client_cert);
  CHECK(config.tls->min_version == TlsVersion::tls13);
  CHECK(config.tls->max_version == TlsVersion::tls13);
  REQUIRE(config.basic_auth_users.size() == 2);
  CHECK(config.basic_auth_users.at("alice") == kHash);
  CHECK(config.basic_auth_users.at("bob") == kHash);
}

TEST_CASE("web config: defaults are TLS 1.2 to 1.3 without client certificates", "[web_config]") {
  Files files;
  WebConfig config = files.parse_ok(
      "tls_server_config:\n  cert_file: cert.pem\n"
      "  key_file: key.pem\n");
  REQUIRE(config.tls.has_value());
  CHECK(config.tls->client_auth_type == ClientAuthType::no_client_cert);
  CHECK(config.tls->min_version == TlsVersion::tls12);
  CHECK(config.tls->max_version == TlsVersion::tls13);
}

TEST_CASE("web config: errors carry file:line:col", "[web_config]") {
  Files files;
  CHECK(files.parse_error("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
                          "  crt_file: x\n") ==
        "web.yml:4:3: unknown field \"crt_file\" in tls_server_config");
  CHECK(files.parse_error("basic_auth_user:\n  alice: x\n") ==
        "web.yml:1:1: unknown field \"basic_auth_user\" at top level");
  CHECK(files.parse_error("tls_server_config:\n  cert_file: cert.pem\n") ==
        "web.yml:2:3: tls_server_config: missing key_file");
  CHECK(files.parse_error("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
                          "  client_auth_type: RequireClientCert\n") ==
        "web.yml:4:21: tls_server_config.client_auth_type: unknown client_auth_type "
        "\"RequireClientCert\" (want NoClientCert, RequestClientCert, RequireAnyClientCert, "
        "VerifyClientCertIfGiven or RequireAndVerifyClientCert)");
  CHECK(files.parse_error("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
                          "  client_auth_type: RequireAndVerifyClientCert\n") ==
        "web.yml:4:21: tls_server_config: client_auth_type RequireAndVerifyClientCert needs "
        "client_ca_file");
  CHECK(files.parse_error("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
                          "  client_ca_file: ca.pem\n") ==
        "web.yml:4:19: tls_server_config: client_ca_file is set but client_auth_type is "
        "NoClientCert; set RequireAndVerifyClientCert for mutual TLS");
  CHECK(files.parse_error("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
                          "  min_version: TLS1.2\n") ==
        "web.yml:4:16: tls_server_config.min_version: unknown TLS version \"TLS1.2\" (want "
        "TLS10, TLS11, TLS12 or TLS13)");
  CHECK(files.parse_error("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
                          "  min_version: TLS13\n  max_version: TLS12\n") ==
        "web.yml:4:16: tls_server_config: min_version TLS13 is above max_version TLS12");
  CHECK(files.parse_error("tls_server_config:\n  cert_file: missing.pem\n  key_file: key.pem\n")
            .starts_with("web.yml:2:14: tls_server_config.cert_file: cannot read \"" +
                         (files.dir.path() / "missing.pem").string() +
                         "\": No such file or directory"));
}

TEST_CASE("web config: exporter-toolkit keys we do not implement are refused by name",
          "[web_config]") {
  Files files;
  CHECK(files.parse_error("tls_server_config:\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n") ==
        "web.yml:2:18: tls_server_config: \"cipher_suites\" is not supported by "
        "metrics-collector");
  CHECK(files.parse_error("rate_limit:\n  burst: 20\n") ==
        "web.yml:2:3: web config: \"rate_limit\" is not supported by metrics-collector");
}

TEST_CASE("web config: a password that is not a bcrypt hash fails without quoting it",
          "[web_config]") {
  Files files;
  const std::string error = files.parse_error("basic_auth_users:\n  alice: hunter2\n");
  CHECK(error.starts_with(
      "web.yml:2:10: basic_auth_users: the password of user \"alice\" is not a bcrypt hash"));
  CHECK(error.find("hunter2") == std::string::npos);
  CHECK(files.parse_error("basic_auth_users:\n  alice: [a]\n")
            .starts_with("web.yml:2:10: basic_auth_users: the password of user \"alice\""));
  CHECK(files.parse_error("basic_auth_users:\n  \"a:b\": " + kHash + "\n") ==
        "web.yml:2:3: basic_auth_users: user name \"a:b\" contains ':'");
}

TEST_CASE("web config: a file that cannot be read is an error naming it", "[web_config]") {
  auto config = mc::load_web_config_file("/nonexistent/web.yml");
  REQUIRE_FALSE(config);
  CHECK(config.error() ==
        "cannot read web config file \"/nonexistent/web.yml\": No such file or directory");
}

TEST_CASE("web config: load_web_config_file names the file in errors", "[web_config]") {
  mc::test::TempDir dir;
  auto path = dir.write_file("web.yml", "tls_server_config:\n  nope: 1\n");
  auto config = mc::load_web_config_file(path.string());
  REQUIRE_FALSE(config);
  CHECK(config.error() == path.string() + ":2:3: unknown field \"nope\" in tls_server_config");
}
