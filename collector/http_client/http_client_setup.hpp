// HttpClientSetup: a job's HttpClientConfig (TLS, authentication, proxy,
// redirects, HTTP/2) applied to a libcurl easy handle before each request, as
// Prometheus's HTTP client (common/config) behaves:
//
// - tls_config: ca_file (else the system's CAs), cert_file and key_file for a
//   client certificate, insecure_skip_verify, min_version (TLS 1.2 when unset,
//   Go's client default) and max_version. server_name is sent as SNI and is
//   the name the certificate must carry, while the connection still goes to
//   the target's address and the Host header stays the target's: the URL's
//   host becomes server_name and CURLOPT_CONNECT_TO maps it back.
// - basic_auth and authorization (bearer_token* were turned into the latter
//   by the loader): password_file and credentials_file are stat'ed at each
//   request and re-read when they changed (FileSecret), so a rotated token is
//   used at the next scrape.
// - A changed CA, certificate or key file makes the next request open a new
//   connection (a kept-alive one was verified with the old files), and the CA
//   store is never cached, so rotated certificates need no reload either.
//   TLS sessions are not resumed, as Go's client does not by default.
// - proxy_url (socks5 resolves names at the proxy, as Go's); none means none:
//   the http_proxy/https_proxy environment is not used, as in Prometheus 2.42.
// - follow_redirects (at most 10, as Go) and enable_http2 (HTTP/2 over TLS by
//   ALPN, HTTP/1.1 otherwise, as Go's transport).
//
// Secrets reach libcurl only; errors name files and never hold their content.
//
// Thread-safety: not thread-safe; one request at a time (the handle's owner).
#pragma once

#include <curl/curl.h>

#include <optional>
#include <string>
#include <vector>

#include "collector/http_client/file_secret.hpp"
#include "collector/http_client/file_stamp.hpp"
#include "common/config/http_client_config.hpp"
#include "common/util/status.hpp"

namespace mc {

class HttpClientSetup {
 public:
  explicit HttpClientSetup(HttpClientConfig config);
  ~HttpClientSetup();
  HttpClientSetup(const HttpClientSetup&) = delete;
  HttpClientSetup& operator=(const HttpClientSetup&) = delete;

  const HttpClientConfig& config() const { return config_; }

  // Sets `handle` up for one request to `url` ("http(s)://host:port/..."),
  // with `headers` ("Name: value") sent too. The option values it passes stay
  // valid until the next apply() or this object's end. An error (a password
  // or credentials file that cannot be read, in Prometheus's words) means the
  // request must not be made.
  Status apply(CURL* handle, const std::string& url, const std::vector<std::string>& headers);

  // "Authorization: <type> <credentials>" (credentials_file re-read when it
  // changed), or empty without an authorization section; for a request made
  // without libcurl.
  Result<std::string> authorization_header();

 private:
  // Whether a CA, certificate or key file changed since the last request.
  bool tls_files_changed();

  HttpClientConfig config_;
  std::optional<FileSecret> password_file_;
  std::optional<FileSecret> credentials_file_;
  std::vector<std::optional<FileStamp>> tls_file_stamps_;
  bool first_request_ = true;
  std::string proxy_;
  std::string url_;  // the URL handed to libcurl (server_name as its host)
  std::string password_;
  std::string header_key_;  // what headers_ was built from
  curl_slist* headers_ = nullptr;
  curl_slist* connect_to_ = nullptr;
};

}  // namespace mc
