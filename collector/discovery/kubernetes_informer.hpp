// KubernetesInformer: keeps one resource of one namespace (or of the whole
// cluster) in step with the API server, as client-go's reflector does for
// Prometheus: list (following `continue` pages), then watch from the list's
// resourceVersion with bookmarks. A watch the server closes, or one that runs
// out its timeoutSeconds, is resumed from the last resourceVersion seen; a
// `410 Gone` (the HTTP status, or an ERROR event carrying a Status with code
// 410) means that version is too old, and the resource is listed again.
// Failures back off exponentially and are logged naming the job, the role,
// the API server, the resource and the namespace.
//
// What it learns goes to a Sink as events; run() blocks on its own thread
// until stop is requested.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "collector/discovery/kubernetes_api_client.hpp"
#include "collector/discovery/kubernetes_json.hpp"

namespace mc::kubernetes {

// A kind of object the discovery reads, and where the API serves it.
struct ResourceKind {
  std::string_view selector_role;  // which `selectors` entry applies: "pod", "service"...
  std::string_view api_prefix;     // "/api/v1" or "/apis/discovery.k8s.io/v1"
  std::string_view plural;         // "pods", "endpointslices"...
  bool namespaced = true;
};

inline constexpr ResourceKind kPods{"pod", "/api/v1", "pods", true};
inline constexpr ResourceKind kServices{"service", "/api/v1", "services", true};
inline constexpr ResourceKind kEndpoints{"endpoints", "/api/v1", "endpoints", true};
inline constexpr ResourceKind kEndpointSlices{"endpointslice", "/apis/discovery.k8s.io/v1",
                                              "endpointslices", true};
inline constexpr ResourceKind kNodes{"node", "/api/v1", "nodes", false};
inline constexpr ResourceKind kIngresses{"ingress", "/apis/networking.k8s.io/v1", "ingresses",
                                         true};

struct InformerEvent {
  enum class Type {
    replace,  // `objects` is everything the informer's namespace holds now
    upsert,   // one object added or modified
    remove,   // one object deleted
  };
  Type type = Type::upsert;
  size_t informer = 0;  // which informer sent it (index given at construction)
  std::vector<JsonValue> objects;
};

struct InformerSettings {
  ResourceKind kind;
  std::string namespace_name;  // "" = every namespace (or a cluster-wide kind)
  std::string label_selector;
  std::string field_selector;
  // For log lines.
  std::string job;
  std::string role;
  std::chrono::milliseconds min_backoff{1000};
  std::chrono::milliseconds max_backoff{30000};
  std::chrono::seconds watch_timeout{300};  // asked of the server as timeoutSeconds
};

class KubernetesInformer {
 public:
  using Sink = std::function<void(InformerEvent)>;

  KubernetesInformer(const KubernetesApiClient& client, InformerSettings settings, size_t index);

  void run(std::stop_token stop, const Sink& sink) const;

  // The request paths, with the selectors URL-encoded.
  std::string list_path(std::string_view continue_token) const;
  std::string watch_path(std::string_view resource_version) const;

 private:
  enum class WatchEnd { resume, relist, failed, stopped };

  // Lists every page; false when stopped or failed (after logging).
  bool list(std::stop_token stop, const Sink& sink, std::string& resource_version) const;
  WatchEnd watch(std::stop_token stop, const Sink& sink, std::string& resource_version) const;
  std::string base_path() const;
  void log_failure(std::string_view what, std::string_view error) const;

  const KubernetesApiClient& client_;
  InformerSettings settings_;
  size_t index_;
};

// Waits `duration` unless stop is requested first; false when it was.
bool sleep_unless_stopped(std::stop_token stop, std::chrono::milliseconds duration);

}  // namespace mc::kubernetes
