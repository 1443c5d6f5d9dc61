// ScrapeManager: scrapes every target of the config on its schedule.
//
// Layers, as in Prometheus (manager → pool per job → loop per target), kept
// small: the manager owns one ScrapeLoop and one HttpScraper per target, and
// one scheduler thread that both keeps the timetable and drives all HTTP
// transfers on a libcurl multi handle (no thread per target). A finished
// transfer is handed to a small WorkerPool, which parses and appends. A target
// is never scraped twice at once: a scrape still running when the next is due
// makes that next one skipped (counted).
//
// Each target is scraped at a fixed offset inside its interval, taken from a
// hash of its labels, so scrapes spread over the interval.
//
// Thread-safety: start() and stop() from one thread; the rest is internal.
#pragma once

#include <memory>

#include <prometheus/registry.h>

#include "common/config/config.hpp"
#include "common/store/storage.hpp"

namespace mc {

struct ScrapeManagerOptions {
  size_t worker_threads = 2;  // parse + append; the reference machine has 2 cores
};

class ScrapeManager {
 public:
  ScrapeManager(const Config& config, Storage& storage, prometheus::Registry& registry,
                ScrapeManagerOptions options = {});
  ~ScrapeManager();  // stops
  ScrapeManager(const ScrapeManager&) = delete;
  ScrapeManager& operator=(const ScrapeManager&) = delete;

  void start();
  // Stops scheduling, waits for running scrapes, marks every target's series stale.
  void stop();

  size_t target_count() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mc
