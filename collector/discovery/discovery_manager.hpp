// DiscoveryManager: runs the discoverers of every scrape job (one thread
// each), keeps the latest group of each (discoverer, source), and hands a
// job's whole target list, its static_configs groups then the discovered
// ones, to a sink (the daemon's: ScrapeManager::sync) when it changes.
//
// Prometheus's manager sends at most every 5 s; this one waits `debounce`
// (100 ms) after the first change so that a burst (a file rewritten piece by
// piece, many discoverers starting) becomes one sync, and a change reaches the
// scrape pool well within a second.
//
// apply_config() is a reload: a discoverer whose config is unchanged keeps
// running with its groups; a changed one restarts and its old groups stay
// until the new one first publishes (which replaces them all), so a reload
// does not drop targets for the moment the new discoverer needs; discoverers
// of removed jobs stop and their groups go. Prometheus drops a changed
// provider's groups at once instead; it then sends the same targets again
// a moment later, with stale markers in between.
//
// Delivery: deliveries (the sink calls) run one at a time, each with the list
// as it is at that moment; flush() delivers pending changes from the caller's
// thread (a reload, after the scrape manager applied the new config, so that
// what it applied cannot be overtaken by an older list).
//
// Thread-safety: every member may be called from any thread. The sink is
// called from the manager's thread or from flush()'s caller, never while the
// manager's own lock is held.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <prometheus/registry.h>

#include "collector/discovery/discovery_metrics.hpp"
#include "collector/discovery/make_discoverers.hpp"
#include "common/config/config.hpp"
#include "common/config/target_group.hpp"

namespace mc {

struct DiscoveryOptions {
  DiscovererContext context;  // metrics is filled by the manager
  std::chrono::milliseconds debounce{100};
};

class DiscoveryManager {
 public:
  using Sink = std::function<void(const std::string& job, std::vector<TargetGroup> groups)>;

  // Throws (prometheus-cpp) when the registry holds a discovery meta-metric
  // name with another type.
  DiscoveryManager(prometheus::Registry& registry, Sink sink, DiscoveryOptions options = {});
  ~DiscoveryManager();  // stops
  DiscoveryManager(const DiscoveryManager&) = delete;
  DiscoveryManager& operator=(const DiscoveryManager&) = delete;

  // Takes the jobs of `config` (see above); discoverers run once start()ed.
  void apply_config(const Config& config);
  void start();
  // Stops every discoverer and the delivery thread; groups are kept.
  void stop();
  // Delivers now every job whose list changed since its last delivery.
  void flush();

  // The job's current list: static groups, then discovered ones by
  // discoverer and source. Empty for an unknown job.
  std::vector<TargetGroup> target_groups(const std::string& job) const;

 private:
  struct Provider {
    std::string job;
    std::string name;
    SdConfig config;
    std::unique_ptr<Discoverer> discoverer;
    std::map<std::string, TargetGroup> groups;  // by source; guarded by mutex_
    bool replace_on_publish = false;            // guarded by mutex_: see apply_config()
    bool retired = false;                       // guarded by mutex_: publishes are ignored
    std::jthread thread;
  };
  struct Job {
    std::vector<TargetGroup> static_groups;
    std::vector<std::shared_ptr<Provider>> providers;
    bool dirty = true;
  };

  void start_provider(const std::shared_ptr<Provider>& provider);  // REQUIRES: mutex_ held
  void on_publish(Provider& provider, std::vector<TargetGroup> changed);
  std::vector<TargetGroup> list_of(const Job& job) const;  // REQUIRES: mutex_ held
  void deliver_pending();
  void delivery_loop(std::stop_token stop);

  DiscoveryMetrics metrics_;
  const Sink sink_;
  DiscoveryOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable_any changed_;
  std::map<std::string, Job> jobs_;  // guarded by mutex_
  bool running_ = false;             // guarded by mutex_
  std::jthread delivery_;            // guarded by mutex_ for start/stop

  std::mutex delivery_mutex_;  // one delivery at a time
};

}  // namespace mc
