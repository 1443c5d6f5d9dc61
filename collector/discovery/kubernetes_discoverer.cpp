#include "collector/discovery/kubernetes_discoverer.hpp"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "collector/discovery/kubernetes_api_client.hpp"
#include "collector/discovery/kubernetes_informer.hpp"
#include "collector/discovery/kubernetes_targets.hpp"
#include "common/util/logger.hpp"

namespace mc {

namespace {

using kubernetes::InformerEvent;
using kubernetes::JsonValue;
using kubernetes::KubernetesApiClient;
using kubernetes::KubernetesConnection;
using kubernetes::KubernetesInformer;
using kubernetes::ObjectStore;
using kubernetes::ResourceKind;

enum StoreIndex : size_t {
  kPodStore,
  kServiceStore,
  kEndpointsStore,
  kSliceStore,
  kNodeStore,
  kIngressStore
};

struct InformerSpec {
  ResourceKind kind;
  StoreIndex store;
  std::string namespace_name;
};

bool same_group(const TargetGroup& a, const TargetGroup& b) {
  return a.source == b.source && a.targets == b.targets && a.labels == b.labels;
}

std::string_view namespace_of_key(std::string_view key) {
  size_t slash = key.find('/');
  return slash == std::string_view::npos ? std::string_view() : key.substr(0, slash);
}

class KubernetesDiscoverer final : public Discoverer {
 public:
  KubernetesDiscoverer(KubernetesSdConfig config, std::string job,
                       KubernetesDiscoveryOptions options)
      : config_(std::move(config)), job_(std::move(job)), options_(std::move(options)) {}

  void run(std::stop_token stop, const Publish& publish) override {
    std::optional<KubernetesConnection> connection = connect(stop);
    if (!connection) return;
    KubernetesApiClient client(std::move(*connection));
    std::vector<InformerSpec> specs = informer_specs(client.connection());

    std::mutex mutex;
    std::condition_variable_any wake;
    std::deque<InformerEvent> queue;
    auto sink = [&](InformerEvent event) {
      {
        std::lock_guard lock(mutex);
        queue.push_back(std::move(event));
      }
      wake.notify_one();
    };

    std::vector<std::unique_ptr<KubernetesInformer>> informers;
    for (size_t i = 0; i < specs.size(); ++i) {
      informers.push_back(
          std::make_unique<KubernetesInformer>(client, informer_settings(specs[i]), i));
    }
    {
      // Joined before the queue, the client and the informers go away.
      std::vector<std::jthread> threads;
      for (const auto& informer : informers) {
        threads.emplace_back([&, raw = informer.get()] { raw->run(stop, sink); });
      }
      consume(stop, specs, mutex, wake, queue, publish);
    }
  }

 private:
  StoreIndex primary_store() const {
    const std::string& role = config_.role;
    if (role == "pod") return kPodStore;
    if (role == "service") return kServiceStore;
    if (role == "endpoints") return kEndpointsStore;
    if (role == "endpointslice") return kSliceStore;
    if (role == "ingress") return kIngressStore;
    return kNodeStore;
  }

  std::optional<KubernetesConnection> connect(std::stop_token stop) const {
    std::chrono::milliseconds backoff = options_.min_backoff;
    while (!stop.stop_requested()) {
      auto connection = kubernetes::resolve_connection(config_, options_.in_cluster);
      if (connection) {
        log::info("kubernetes discovery: using API server", {{"job", job_},
                                                             {"role", config_.role},
                                                             {"api_server", connection->server},
                                                             {"from", connection->origin}});
        return std::move(*connection);
      }
      log::error("kubernetes discovery: cannot reach the API server",
                 {{"job", job_}, {"role", config_.role}, {"err", connection.error()}});
      if (!kubernetes::sleep_unless_stopped(stop, backoff)) break;
      backoff = std::min(backoff * 2, options_.max_backoff);
    }
    return std::nullopt;
  }

  std::vector<std::string> namespaces(const KubernetesConnection& connection) const {
    std::vector<std::string> names = config_.namespaces;
    if (config_.own_namespace) {
      if (connection.own_namespace.empty()) {
        log::error(
            "kubernetes discovery: namespaces.own_namespace is set but the service "
            "account's namespace file could not be read",
            {{"job", job_},
             {"role", config_.role},
             {"dir", options_.in_cluster.service_account_dir.string()}});
      } else {
        names.push_back(connection.own_namespace);
      }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    if (names.empty()) names.push_back("");  // every namespace
    return names;
  }

  std::vector<InformerSpec> informer_specs(const KubernetesConnection& connection) const {
    std::vector<InformerSpec> specs;
    const std::string& role = config_.role;
    bool with_nodes = config_.attach_metadata_node &&
                      (role == "pod" || role == "endpoints" || role == "endpointslice");
    if (role == "node") {
      specs.push_back({kubernetes::kNodes, kNodeStore, ""});
      return specs;
    }
    for (const std::string& ns : namespaces(connection)) {
      if (role == "pod") {
        specs.push_back({kubernetes::kPods, kPodStore, ns});
      } else if (role == "service") {
        specs.push_back({kubernetes::kServices, kServiceStore, ns});
      } else if (role == "ingress") {
        specs.push_back({kubernetes::kIngresses, kIngressStore, ns});
      } else if (role == "endpoints" || role == "endpointslice") {
        if (role == "endpoints") {
          specs.push_back({kubernetes::kEndpoints, kEndpointsStore, ns});
        } else {
          specs.push_back({kubernetes::kEndpointSlices, kSliceStore, ns});
        }
        specs.push_back({kubernetes::kServices, kServiceStore, ns});
        specs.push_back({kubernetes::kPods, kPodStore, ns});
      }
    }
    if (with_nodes) specs.push_back({kubernetes::kNodes, kNodeStore, ""});
    return specs;
  }

  kubernetes::InformerSettings informer_settings(const InformerSpec& spec) const {
    kubernetes::InformerSettings settings;
    settings.kind = spec.kind;
    settings.namespace_name = spec.namespace_name;
    for (const KubernetesSelector& selector : config_.selectors) {
      if (selector.role == spec.kind.selector_role) {
        settings.label_selector = selector.label;
        settings.field_selector = selector.field;
      }
    }
    settings.job = job_;
    settings.role = config_.role;
    settings.min_backoff = options_.min_backoff;
    settings.max_backoff = options_.max_backoff;
    settings.watch_timeout = options_.watch_timeout;
    return settings;
  }

  TargetGroup build(const JsonValue& object) const {
    kubernetes::RelatedObjects related{
        &stores_[kPodStore], &stores_[kServiceStore],
        config_.attach_metadata_node ? &stores_[kNodeStore] : nullptr};
    const std::string& role = config_.role;
    if (role == "pod") return kubernetes::pod_target_group(object, related);
    if (role == "service") return kubernetes::service_target_group(object);
    if (role == "endpoints") return kubernetes::endpoints_target_group(object, related);
    if (role == "endpointslice") return kubernetes::endpointslice_target_group(object, related);
    if (role == "ingress") return kubernetes::ingress_target_group(object);
    bool missing_address = false;
    TargetGroup group = kubernetes::node_target_group(object, &missing_address);
    if (missing_address) {
      log::warn("kubernetes discovery: no node address found",
                {{"job", job_}, {"role", role}, {"node", object["metadata"]["name"].str()}});
    }
    return group;
  }

  // Applies one event to its store; returns whether every group may have
  // changed (an object other than the role's own did) and adds the keys of
  // the role's own objects that did to `dirty`.
  bool apply(InformerEvent& event, const InformerSpec& spec, std::set<std::string>& dirty) {
    ObjectStore& store = stores_[spec.store];
    bool primary = spec.store == primary_store();
    switch (event.type) {
      case InformerEvent::Type::replace: {
        for (auto it = store.begin(); it != store.end();) {
          bool in_scope =
              spec.namespace_name.empty() || namespace_of_key(it->first) == spec.namespace_name;
          if (in_scope) {
            if (primary) dirty.insert(it->first);
            it = store.erase(it);
          } else {
            ++it;
          }
        }
        for (JsonValue& object : event.objects) {
          std::string key = kubernetes::object_key(object);
          if (primary) dirty.insert(key);
          store[key] = std::move(object);
        }
        return !primary;
      }
      case InformerEvent::Type::upsert:
      case InformerEvent::Type::remove: {
        if (event.objects.empty()) return false;
        std::string key = kubernetes::object_key(event.objects.front());
        if (event.type == InformerEvent::Type::upsert) {
          store[key] = std::move(event.objects.front());
        } else {
          store.erase(key);
        }
        if (primary) dirty.insert(key);
        return !primary;
      }
    }
    return false;
  }

  void consume(std::stop_token stop, const std::vector<InformerSpec>& specs, std::mutex& mutex,
               std::condition_variable_any& wake, std::deque<InformerEvent>& queue,
               const Publish& publish) {
    std::vector<bool> synced(specs.size(), false);
    bool published_once = false;
    std::set<std::string> dirty;
    bool everything_dirty = false;
    std::map<std::string, TargetGroup> published;  // by store key of the role's object
    while (!stop.stop_requested()) {
      std::deque<InformerEvent> batch;
      {
        std::unique_lock lock(mutex);
        if (!wake.wait(lock, stop, [&] { return !queue.empty(); })) break;
        batch.swap(queue);
      }
      for (InformerEvent& event : batch) {
        if (event.type == InformerEvent::Type::replace) synced[event.informer] = true;
        everything_dirty |= apply(event, specs[event.informer], dirty);
      }
      if (!std::all_of(synced.begin(), synced.end(), [](bool s) { return s; })) continue;

      const ObjectStore& own = stores_[primary_store()];
      if (!published_once || everything_dirty) {
        for (const auto& entry : own) dirty.insert(entry.first);
        for (const auto& entry : published) dirty.insert(entry.first);
      }
      std::vector<TargetGroup> changed;
      for (const std::string& key : dirty) {
        auto found = own.find(key);
        if (found == own.end()) {
          auto was = published.find(key);
          if (was == published.end()) continue;
          changed.push_back(TargetGroup{was->second.source, {}, {}});
          published.erase(was);
          continue;
        }
        TargetGroup group = build(found->second);
        auto was = published.find(key);
        if (was != published.end() && same_group(was->second, group)) continue;
        changed.push_back(group);
        published[key] = std::move(group);
      }
      dirty.clear();
      everything_dirty = false;
      if (!changed.empty() || !published_once) publish(std::move(changed));
      published_once = true;
    }
  }

  KubernetesSdConfig config_;
  std::string job_;
  KubernetesDiscoveryOptions options_;
  std::array<ObjectStore, 6> stores_;
};

}  // namespace

std::unique_ptr<Discoverer> make_kubernetes_discoverer(const KubernetesSdConfig& config,
                                                       std::string job_name,
                                                       KubernetesDiscoveryOptions options) {
  return std::make_unique<KubernetesDiscoverer>(config, std::move(job_name), std::move(options));
}

}  // namespace mc
