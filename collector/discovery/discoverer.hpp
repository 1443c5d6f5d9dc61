// Discoverer: one source of targets for one scrape job (a file_sd_configs
// entry, an http_sd_configs URL, a Kubernetes role, a DNS name list), as
// Prometheus's discovery.Discoverer. It runs on a thread of its own until
// asked to stop and hands every change as target groups; the
// DiscoveryManager keeps the latest group of each source and syncs the job's
// scrape pool with their union.
//
// A discoverer that fails (a file that does not parse, an API server that
// does not answer) logs the reason naming its job and source, keeps the groups
// it last published, and tries again: the targets it found before go on being
// scraped.
#pragma once

#include <functional>
#include <stop_token>
#include <vector>

#include "common/config/target_group.hpp"

namespace mc {

class Discoverer {
 public:
  // Called from run()'s thread with the groups that changed: a group replaces
  // the one of the same source; a group with no targets removes it. The first
  // call after start carries every group known.
  using Publish = std::function<void(std::vector<TargetGroup> changed)>;

  virtual ~Discoverer() = default;

  // Blocks until `stop` is requested; publishes from the calling thread. Must
  // return within about a second of the request (waits are interruptible).
  virtual void run(std::stop_token stop, const Publish& publish) = 0;
};

}  // namespace mc
