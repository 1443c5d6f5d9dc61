// ScheduledTarget: one target while it is being scraped — its ScrapeLoop
// (series cache, staleness state), its HttpScraper (the kept-alive
// connection), and the bookkeeping the scheduler needs to run it.
//
// A ScrapePool creates one per target and keeps it for as long as the target
// stays in the job's list with the same labels and settings, across reloads;
// the ScrapeScheduler runs it while the pool has it scheduled. Shared
// ownership, because a worker may still be processing a target's last scrape
// when its pool lets it go.
//
// Thread-safety: the fields say who may touch them.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "collector/scrape/http_scraper.hpp"
#include "collector/scrape/scrape_loop.hpp"
#include "collector/scrape/scrape_metrics.hpp"
#include "collector/scrape/scrape_target.hpp"
#include "common/config/config.hpp"
#include "common/store/storage.hpp"

namespace mc {

struct ScheduledTarget {
  using SteadyClock = std::chrono::steady_clock;

  ScheduledTarget(std::shared_ptr<const ScrapeConfig> job_config, ScrapeTarget target,
                  Storage& storage, ScrapeMetrics::Job& metrics)
      : job(std::move(job_config)),
        job_metrics(metrics),
        instance(target.labels().get("instance")),
        loop(std::move(target), *job, storage),
        // The HTTP layer stops a body at sample_limit lines; with metric
        // relabeling the limit counts kept samples, which only the loop knows.
        http(loop.target(), loop.target().timeout(), job->body_size_limit,
             job->metric_relabel_configs.empty() ? job->sample_limit : 0, job->http_client) {}

  // Immutable.
  const std::shared_ptr<const ScrapeConfig> job;
  ScrapeMetrics::Job& job_metrics;
  const std::string instance;  // the target's instance label, for the failure counter

  // Held by whoever uses the loop: a worker processing a scrape, or the pool
  // marking the target's series stale when it lets the target go; once
  // `retired`, no scrape is appended any more.
  std::mutex loop_mutex;
  ScrapeLoop loop;
  bool retired = false;  // guarded by loop_mutex

  // The scheduler thread prepares a transfer, a worker finishes it; never both
  // at once (`busy`).
  HttpScraper http;

  // Scheduler thread only (or any thread while the scheduler is stopped).
  SteadyClock::time_point next_due;
  SteadyClock::time_point started_steady;
  int64_t started_wall_ms = 0;
  bool in_transfer = false;
  bool via_curl = false;   // the transfer under way is libcurl's, not the plain client's
  bool scheduled = false;  // in the scheduler's set; a timetable entry of an unscheduled one is
                           // dropped when it comes up

  std::atomic<bool> busy = false;  // transfer or processing under way
};

}  // namespace mc
