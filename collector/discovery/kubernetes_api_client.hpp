// KubernetesApiClient: GET requests to a Kubernetes API server over libcurl,
// with the connection's TLS and credentials applied afresh at each request
// (a token file the kubelet rotated is read again; a CA file replaced on disk
// is used by the next request). A list is one GET; a watch is a long GET
// whose body is a stream of WatchEvent objects, handed over one by one as
// they arrive.
//
// HTTP/1.1 only, as Prometheus's Kubernetes client. Requests give up within
// about a second of `stop` being requested. Thread-safe: const, and each
// request has its own curl handle.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>

#include "collector/discovery/kubernetes_connection.hpp"
#include "common/util/status.hpp"

namespace mc::kubernetes {

class KubernetesApiClient {
 public:
  explicit KubernetesApiClient(KubernetesConnection connection);

  struct Reply {
    long status = 0;
    std::string body;  // the whole body of a list; for a watch, only a non-200 body
  };

  // A transport failure (connection refused, TLS verification, timeout) is an
  // error in libcurl's words; any HTTP status is a Reply.
  Result<Reply> get(std::string_view path_and_query, std::stop_token stop) const;

  // Calls `on_object` with each JSON value of a 200 stream as it completes,
  // until the server closes it, `stop` is requested or `on_object` returns
  // false (which ends the request quietly).
  Result<Reply> watch(std::string_view path_and_query, std::stop_token stop,
                      std::chrono::seconds timeout,
                      const std::function<bool(std::string_view object)>& on_object) const;

  const std::string& server() const { return connection_.server; }
  const KubernetesConnection& connection() const { return connection_; }

 private:
  Result<Reply> perform(std::string_view path_and_query, std::stop_token stop,
                        std::chrono::seconds timeout,
                        const std::function<bool(std::string_view)>* on_object) const;

  KubernetesConnection connection_;
};

// Splits a byte stream of concatenated JSON values (the watch body) into
// whole values; bytes may arrive cut anywhere.
class JsonStreamSplitter {
 public:
  // Appends `bytes`; calls `on_value` for each value completed. Stops early
  // (returning false) when on_value returns false.
  bool feed(std::string_view bytes, const std::function<bool(std::string_view)>& on_value);

 private:
  std::string pending_;
  size_t scanned_ = 0;  // bytes of pending_ already walked
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
};

}  // namespace mc::kubernetes
