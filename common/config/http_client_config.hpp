// HttpClientConfig: how the daemon talks HTTP to something it reads from, as
// Prometheus's common/config HTTPClientConfig: a scrape target, an http_sd
// endpoint, a Kubernetes API server. The same YAML keys, the same defaults
// (follow_redirects and enable_http2 on, authorization type Bearer), the same
// rules (one of basic_auth, authorization, bearer_token* at most; a secret and
// its _file form not both).
//
// Files (CA, client certificate and key, password, credentials) are named here
// and read when a request is made, so a rotated certificate or token is used
// without a reload. Secrets are kept as Secret, which the config's printers
// write as "<secret>", as Prometheus does.
#pragma once

#include <optional>
#include <string>

namespace mc {

// A value that must not reach a log line, an error or /api/v1/status/config.
struct Secret {
  std::string value;
  bool empty() const { return value.empty(); }
  friend bool operator==(const Secret&, const Secret&) = default;
};

struct TlsConfig {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string server_name;  // SNI and the name the certificate must carry
  bool insecure_skip_verify = false;
  std::string min_version;  // "", "TLS10", "TLS11", "TLS12" or "TLS13"
  std::string max_version;  // likewise; "" = the newest the library has
  friend bool operator==(const TlsConfig&, const TlsConfig&) = default;
};

struct BasicAuth {
  std::string username;
  Secret password;
  std::string password_file;  // read at each request; trailing newline ignored
  friend bool operator==(const BasicAuth&, const BasicAuth&) = default;
};

// `authorization:`, and the older `bearer_token`/`bearer_token_file`, which
// the loader turns into type Bearer.
struct Authorization {
  std::string type = "Bearer";
  Secret credentials;
  std::string credentials_file;  // read at each request; trailing newline ignored
  friend bool operator==(const Authorization&, const Authorization&) = default;
};

struct HttpClientConfig {
  std::optional<BasicAuth> basic_auth;
  std::optional<Authorization> authorization;
  TlsConfig tls_config;
  std::string proxy_url;  // "" = none (libcurl's environment proxies are not used)
  bool follow_redirects = true;
  bool enable_http2 = true;
  friend bool operator==(const HttpClientConfig&, const HttpClientConfig&) = default;
};

}  // namespace mc
