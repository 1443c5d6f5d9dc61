// The exporter's own security, read from `--web.config.file` in the format of
// Prometheus's exporter-toolkit (docs/web-configuration.md there), so a file
// written for node_exporter or Prometheus works here:
//
//   tls_server_config:
//     cert_file: server.crt
//     key_file: server.key
//     client_auth_type: RequireAndVerifyClientCert
//     client_ca_file: ca.crt
//     min_version: TLS12
//   basic_auth_users:
//     alice: $2y$10$...   # bcrypt
//
// Loading is strict like the main config: unknown keys, values of the wrong
// kind, an unknown client_auth_type or TLS version, a hash that is not bcrypt
// fail with "file:line:col: message". The files named are checked to exist at
// load time (so a typo fails at start, not at the first handshake); their
// contents are read by the exporter's TLS setup. Keys of exporter-toolkit we
// do not implement (inline cert/key, cipher_suites, curve_preferences,
// client_allowed_sans, http_server_config, rate_limit) are errors that say so,
// never silently ignored: a user who asks for a restriction must get it.
//
// Error messages never quote a password hash.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/util/status.hpp"

namespace mc {

// Go's crypto/tls ClientAuthType names, as exporter-toolkit spells them.
enum class ClientAuthType {
  no_client_cert,                  // "NoClientCert" (the default)
  request_client_cert,             // "RequestClientCert": asked for, not required, not verified
  require_any_client_cert,         // "RequireAnyClientCert": required, not verified
  verify_client_cert_if_given,     // "VerifyClientCertIfGiven": verified when sent
  require_and_verify_client_cert,  // "RequireAndVerifyClientCert": mutual TLS
};

enum class TlsVersion { tls10, tls11, tls12, tls13 };  // "TLS10" ... "TLS13"

struct TlsServerConfig {
  std::string cert_file;  // PEM; may hold the chain after the leaf
  std::string key_file;   // PEM
  ClientAuthType client_auth_type = ClientAuthType::no_client_cert;
  // PEM bundle of the CAs that sign client certificates; required by the two
  // verifying client_auth_types, and only allowed with a client_auth_type.
  std::string client_ca_file;
  TlsVersion min_version = TlsVersion::tls12;
  TlsVersion max_version = TlsVersion::tls13;
};

struct WebConfig {
  std::optional<TlsServerConfig> tls;  // absent: plain HTTP
  // User name -> bcrypt hash ($2a$, $2b$ or $2y$). Empty: no authentication.
  std::map<std::string, std::string, std::less<>> basic_auth_users;
};

// Parses YAML text; `source_name` prefixes every error. Relative file paths
// are resolved against `base_directory` (the web config file's directory, as
// exporter-toolkit does); an empty base leaves them as written.
Result<WebConfig> parse_web_config(std::string_view yaml, std::string_view source_name,
                                   std::string_view base_directory = "");
// Reads and parses a file; a file that cannot be read is an error naming it.
Result<WebConfig> load_web_config_file(const std::string& path);

std::string_view client_auth_type_name(ClientAuthType type);
std::string_view tls_version_name(TlsVersion version);

}  // namespace mc
