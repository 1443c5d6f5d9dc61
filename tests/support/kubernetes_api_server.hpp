// KubernetesApiServer: a stand-in Kubernetes API server for tests, HTTPS on
// 127.0.0.1 with the certificate of a TestCertificates, speaking the API's
// wire format: lists (PodList, ServiceList, EndpointsList, EndpointSliceList,
// NodeList, IngressList with metadata.resourceVersion), watches (a chunked stream of
// WatchEvent objects ADDED/MODIFIED/DELETED/BOOKMARK/ERROR) and Status
// objects for errors (401 Unauthorized, 410 Expired).
//
// There is no Kubernetes API server among Debian's packages, so the tests of
// kubernetes_sd talk to this one. It holds objects by resource ("pods",
// "services", "endpoints", "endpointslices", "nodes", "ingresses"), numbers every change
// with a resourceVersion as etcd does, and lets a test close every open
// watch, expire old versions (410 Gone: as the HTTP status, or as an ERROR
// event on an open watch), and change the one bearer token it accepts.
//
// One thread accepts; each connection has its own thread; one request per
// connection. Thread-safe.
#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_certificates.hpp"

namespace mc::test {

class KubernetesApiServer {
 public:
  KubernetesApiServer(const TestCertificates& certificates, std::string token);
  ~KubernetesApiServer();
  KubernetesApiServer(const KubernetesApiServer&) = delete;
  KubernetesApiServer& operator=(const KubernetesApiServer&) = delete;

  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  uint16_t port() const { return port_; }

  // Adds or replaces an object (ADDED or MODIFIED to watchers). `object` is
  // its JSON with a "metadata":{ ... } member; the server writes the
  // resourceVersion into it. `ns` is "" for nodes.
  void upsert(const std::string& resource, const std::string& ns, const std::string& name,
              const std::string& object);
  void remove(const std::string& resource, const std::string& ns, const std::string& name);

  // Ends every open watch normally (the client should resume it).
  void close_watches();
  // Forgets every change so far: a watch from an older resourceVersion gets
  // 410 Gone, as an HTTP status when `as_http_status` (open watches are
  // closed, so that their resumption gets it), else as an ERROR event with a
  // Status of code 410 (sent to open watches too, which are then closed).
  void expire_versions(bool as_http_status);
  // From now on only `token` is accepted; others get 401.
  void set_token(std::string token);
  // Sends a BOOKMARK with the current resourceVersion to every open watch.
  void send_bookmarks();
  // The next `count` lists are cut in the middle of their JSON (a proxy that
  // drops the connection's end); an open watch gets one event that is not JSON.
  void garble_next_lists(int count);
  void send_garbled_event();

  struct Request {
    std::string target;         // path and query
    std::string authorization;  // the header's value
    int status = 0;
  };
  std::vector<Request> requests() const;
  // Requests whose target starts with `prefix` and contains `fragment`.
  int count_requests(const std::string& prefix, const std::string& fragment = "") const;
  int open_watches() const { return open_watches_.load(); }

 private:
  struct Object {
    std::string resource, ns, name, json;
    uint64_t version = 0;
  };
  struct Event {
    uint64_t version;
    std::string resource, ns, type, json;
  };

  void accept_loop();
  void serve(SSL* ssl);
  void serve_list(SSL* ssl, const std::string& resource, const std::string& ns);
  void serve_watch(SSL* ssl, const std::string& resource, const std::string& ns,
                   uint64_t from_version);
  std::string with_version(const std::string& json, uint64_t version) const;

  SSL_CTX* context_ = nullptr;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> open_watches_{0};
  std::thread acceptor_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string token_;                     // guarded by mutex_
  uint64_t version_ = 100;                // guarded by mutex_
  uint64_t oldest_valid_ = 0;             // guarded by mutex_; versions below are expired
  uint64_t close_generation_ = 0;         // guarded by mutex_
  uint64_t expire_generation_ = 0;        // guarded by mutex_
  uint64_t bookmark_generation_ = 0;      // guarded by mutex_
  bool gone_as_http_status_ = true;       // guarded by mutex_
  int garbled_lists_ = 0;                 // guarded by mutex_
  uint64_t garbage_generation_ = 0;       // guarded by mutex_
  std::vector<Object> objects_;           // guarded by mutex_
  std::vector<Event> events_;             // guarded by mutex_
  std::vector<Request> requests_;         // guarded by mutex_
  std::vector<std::thread> connections_;  // guarded by mutex_
};

}  // namespace mc::test
