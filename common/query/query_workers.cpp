#include "common/query/query_workers.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>

namespace mc::query {

// One run(): its tasks, taken one at a time by the caller and by the helpers
// the pool gets to before the caller is done. A helper that starts after
// that finds the job closed and leaves the caller's `task` alone.
struct QueryWorkers::Job {
  Job(size_t count, const std::function<void(size_t)>& task) : count(count), task(task) {}

  // Takes tasks until none is left.
  void work() noexcept {
    for (size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) task(i);
  }

  // On a helper thread.
  void help() noexcept {
    {
      std::lock_guard lock(mutex);
      if (closed || next.load(std::memory_order_relaxed) >= count) return;
      ++helpers_working;
    }
    work();
    std::lock_guard lock(mutex);
    if (--helpers_working == 0) helpers_done.notify_all();
  }

  // On the caller, once its own work() returned: no helper starts after
  // this, and those working finish.
  void close() {
    std::unique_lock lock(mutex);
    closed = true;
    helpers_done.wait(lock, [&] { return helpers_working == 0; });
  }

  const size_t count;
  const std::function<void(size_t)>& task;
  std::atomic<size_t> next{0};
  std::mutex mutex;
  std::condition_variable helpers_done;
  bool closed = false;         // under `mutex`
  size_t helpers_working = 0;  // under `mutex`
};

QueryWorkers::QueryWorkers(size_t helpers)
    : helpers_(helpers), pool_(helpers > 0 ? std::make_unique<WorkerPool>(helpers) : nullptr) {}

QueryWorkers::~QueryWorkers() = default;

void QueryWorkers::run(size_t count, const std::function<void(size_t)>& task) {
  if (count == 0) return;
  auto job = std::make_shared<Job>(count, task);
  if (pool_ != nullptr) {
    const size_t wanted = std::min(helpers_, count - 1);
    for (size_t i = 0; i < wanted; ++i) pool_->submit([job] { job->help(); });
  }
  job->work();
  job->close();
}

}  // namespace mc::query
