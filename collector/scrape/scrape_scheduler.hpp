// ScrapeScheduler: the one thread that runs every scrape of every job.
//
// It keeps the timetable (a min-heap of due times) and drives all HTTP
// transfers itself: no thread per target. Targets of the plain client
// (HttpScraper: http:// to an IP address) wait in one epoll set; the others
// run on a libcurl multi handle, whose poll includes that set while it has
// transfers under way. A finished
// transfer goes to a small WorkerPool, which parses and appends (ScrapeLoop)
// and counts and logs the result; a small page that finished while nothing
// else was under way is processed on the scheduler thread itself, sparing
// the hand-off's two thread wake-ups. A target is never scraped twice at once: a
// scrape still running when the next is due makes that next one skipped
// (counted). Each target is scraped at a fixed offset inside its interval (a
// hash of its labels, aligned to wall-clock time), so scrapes spread out.
//
// Which targets it runs is changed by update(), which the pools call from any
// thread: the scheduler thread applies the change between two turns of its
// loop (the epoll set and curl's multi handle belong to that thread), and
// update() returns once
// it is applied. The scheduler never marks series stale; the pool that lets a
// target go does.
//
// Thread-safety: update() from any thread; start() and stop() from one thread
// at a time.
#pragma once

#include <memory>
#include <vector>

#include "collector/scrape/scrape_metrics.hpp"

namespace mc {

struct ScheduledTarget;

class ScrapeScheduler {
 public:
  ScrapeScheduler(ScrapeMetrics& metrics, size_t worker_threads);
  ~ScrapeScheduler();  // stops
  ScrapeScheduler(const ScrapeScheduler&) = delete;
  ScrapeScheduler& operator=(const ScrapeScheduler&) = delete;

  void start();
  // Stops the thread, drops unfinished transfers and waits for the scrapes being
  // processed; the targets stay scheduled for the next start().
  void stop();

  // Schedules `added` (first scrape at each one's offset) and unschedules
  // `removed` (an unfinished transfer is dropped). When it returns, the
  // scheduler starts no scrape of a removed target any more; one may still be
  // processed by a worker (see ScheduledTarget::retired).
  void update(std::vector<std::shared_ptr<ScheduledTarget>> added,
              std::vector<std::shared_ptr<ScheduledTarget>> removed);

  size_t target_count() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mc
