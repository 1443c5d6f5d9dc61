#include "collector/discovery/discovery_manager.hpp"

#include "collector/discovery/target_group_parser.hpp"
#include "common/util/logger.hpp"

namespace mc {

DiscoveryManager::DiscoveryManager(prometheus::Registry& registry, Sink sink,
                                   DiscoveryOptions options)
    : metrics_(registry), sink_(std::move(sink)), options_(std::move(options)) {
  options_.context.metrics = &metrics_;
}

DiscoveryManager::~DiscoveryManager() { stop(); }

void DiscoveryManager::start_provider(const std::shared_ptr<Provider>& provider) {
  // The thread holds the provider: a publish racing with its retirement finds
  // it alive and retired.
  provider->thread = std::jthread([this, provider](std::stop_token stop) {
    provider->discoverer->run(stop, [this, provider](std::vector<TargetGroup> changed) {
      on_publish(*provider, std::move(changed));
    });
  });
}

void DiscoveryManager::apply_config(const Config& config) {
  std::vector<std::shared_ptr<Provider>> retired;
  {
    std::lock_guard lock(mutex_);
    std::map<std::string, Job> next;
    for (const auto& scrape_config : config.scrape_configs) {
      Job& job = next[scrape_config.job_name];
      job.static_groups = static_target_groups(scrape_config.static_configs);
      auto old_job = jobs_.find(scrape_config.job_name);
      for (auto& made : make_discoverers(scrape_config, options_.context)) {
        std::shared_ptr<Provider> old;
        if (old_job != jobs_.end()) {
          for (auto& candidate : old_job->second.providers) {
            if (candidate && candidate->name == made.name) old = candidate;
          }
        }
        if (old && old->config == made.config) {
          job.providers.push_back(old);  // unchanged: keeps running and its groups
          std::erase(old_job->second.providers, old);
          continue;
        }
        auto provider = std::make_shared<Provider>();
        provider->job = scrape_config.job_name;
        provider->name = made.name;
        provider->config = std::move(made.config);
        provider->discoverer = std::move(made.discoverer);
        if (old) {
          provider->groups = old->groups;
          provider->replace_on_publish = true;
        }
        if (running_) start_provider(provider);
        job.providers.push_back(std::move(provider));
      }
    }
    for (auto& [name, job] : jobs_) {
      for (auto& provider : job.providers) {
        provider->retired = true;
        retired.push_back(provider);
      }
      if (!next.contains(name)) metrics_.remove_job(name);
    }
    jobs_ = std::move(next);  // every job is dirty: flush() delivers them all
  }
  // Outside the lock: a retiring discoverer may be waiting for it to publish.
  for (auto& provider : retired) provider->thread.request_stop();
  for (auto& provider : retired) {
    if (provider->thread.joinable()) provider->thread.join();
  }
  changed_.notify_all();
}

void DiscoveryManager::start() {
  std::lock_guard lock(mutex_);
  if (running_) return;
  running_ = true;
  for (auto& [name, job] : jobs_) {
    for (auto& provider : job.providers) start_provider(provider);
  }
  delivery_ = std::jthread([this](std::stop_token stop) { delivery_loop(stop); });
}

void DiscoveryManager::stop() {
  std::vector<std::shared_ptr<Provider>> running;
  std::jthread delivery;
  {
    std::lock_guard lock(mutex_);
    if (!running_) return;
    running_ = false;
    for (auto& [name, job] : jobs_) {
      for (auto& provider : job.providers) running.push_back(provider);
    }
    delivery = std::move(delivery_);
  }
  for (auto& provider : running) provider->thread.request_stop();
  delivery.request_stop();
  for (auto& provider : running) {
    if (provider->thread.joinable()) provider->thread.join();
  }
  if (delivery.joinable()) delivery.join();
}

void DiscoveryManager::on_publish(Provider& provider, std::vector<TargetGroup> changed) {
  {
    std::lock_guard lock(mutex_);
    if (provider.retired) return;
    if (provider.replace_on_publish) {
      provider.groups.clear();
      provider.replace_on_publish = false;
    }
    for (auto& group : changed) {
      if (group.targets.empty()) {
        provider.groups.erase(group.source);
      } else {
        std::string source = group.source;
        provider.groups.insert_or_assign(std::move(source), std::move(group));
      }
    }
    auto job = jobs_.find(provider.job);
    if (job != jobs_.end()) job->second.dirty = true;
  }
  changed_.notify_all();
}

std::vector<TargetGroup> DiscoveryManager::list_of(const Job& job) const {
  std::vector<TargetGroup> groups = job.static_groups;
  for (const auto& provider : job.providers) {
    for (const auto& [source, group] : provider->groups) {
      groups.push_back(group);
      // Sources are unique per discoverer; the job's pool keys targets by
      // their labels, so two discoverers' same source cannot collide.
      groups.back().source = provider->name + "/" + source;
    }
  }
  return groups;
}

std::vector<TargetGroup> DiscoveryManager::target_groups(const std::string& job) const {
  std::lock_guard lock(mutex_);
  auto found = jobs_.find(job);
  return found == jobs_.end() ? std::vector<TargetGroup>{} : list_of(found->second);
}

void DiscoveryManager::deliver_pending() {
  std::lock_guard delivery_lock(delivery_mutex_);
  std::vector<std::pair<std::string, std::vector<TargetGroup>>> pending;
  {
    std::lock_guard lock(mutex_);
    for (auto& [name, job] : jobs_) {
      if (!job.dirty) continue;
      job.dirty = false;
      pending.emplace_back(name, list_of(job));
      metrics_.set_discovered_targets(name,
                                      static_cast<double>(count_targets(pending.back().second)));
    }
  }
  for (auto& [name, groups] : pending) sink_(name, std::move(groups));
}

void DiscoveryManager::flush() { deliver_pending(); }

void DiscoveryManager::delivery_loop(std::stop_token stop) {
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(mutex_);
      auto any_dirty = [&] {
        for (const auto& [name, job] : jobs_) {
          if (job.dirty) return true;
        }
        return false;
      };
      if (!changed_.wait(lock, stop, any_dirty)) return;
      // Gather the rest of a burst.
      changed_.wait_for(lock, stop, options_.debounce, [] { return false; });
      if (stop.stop_requested()) return;
    }
    deliver_pending();
  }
}

}  // namespace mc
