// http_get / http_request: a blocking HTTP client for tests (libcurl), which
// returns the status, headers and body without decoding gzip unless asked.
// POST sends HttpRequestOptions::body (empty by default: Content-Length: 0);
// a form body needs its Content-Type among the headers.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace mc::test {

struct HttpReply {
  long status = 0;    // 0 when the request failed
  std::string error;  // libcurl's message when status == 0
  std::string body;
  std::map<std::string, std::string> headers;  // names lowercased
};

struct HttpRequestOptions {
  std::string method = "GET";
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // POST only
  bool decode_gzip = false;          // let libcurl decode a gzip body
  std::chrono::milliseconds timeout{10000};
  // https: the CA to verify the server with; empty: libcurl's default store.
  std::string ca_file;
  // https: a client certificate and its key (PEM), for mutual TLS; empty: none.
  std::string client_cert_file;
  std::string client_key_file;
  // "user:password" sent as basic auth; empty: no Authorization header.
  std::string basic_auth;
};

HttpReply http_request(const std::string& url, const HttpRequestOptions& options = {});
inline HttpReply http_get(const std::string& url) { return http_request(url); }

// A TCP port on 127.0.0.1 that was free a moment ago.
uint16_t free_port();

}  // namespace mc::test
