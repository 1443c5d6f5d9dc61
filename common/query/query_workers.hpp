// QueryWorkers: helper threads that a long query's series are shared with.
// Prometheus evaluates a query on one thread; VictoriaMetrics spreads a
// query's series over every core, and over a week of blocks that is most of
// the difference in latency (decoding the samples is the work, and each
// series decodes on its own). The helpers are shared by all of an engine's
// queries: a query hands its series out, works on them itself as well, and
// takes back whatever no helper was free for, so a query never waits for a
// helper and a busy pool makes a query no slower than one thread would. The
// threads are a WorkerPool (common/util/worker_pool.hpp).
//
// Thread-safety: run() may be called from any number of threads at once.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

#include "common/util/worker_pool.hpp"

namespace mc::query {

class QueryWorkers {
 public:
  // `helpers` threads besides the callers' own; 0 runs everything on the caller.
  explicit QueryWorkers(size_t helpers);
  ~QueryWorkers();
  QueryWorkers(const QueryWorkers&) = delete;
  QueryWorkers& operator=(const QueryWorkers&) = delete;

  size_t helpers() const { return helpers_; }

  // Runs task(i) once for each i in [0, count), on this thread and on free
  // helpers, and returns when all have finished. A task must not throw (that
  // ends the process): errors go back as values, so that an exception never
  // outlives its thread (series_evaluation.cpp).
  void run(size_t count, const std::function<void(size_t)>& task);

 private:
  struct Job;

  size_t helpers_;
  std::unique_ptr<WorkerPool> pool_;  // null without helpers
};

}  // namespace mc::query
