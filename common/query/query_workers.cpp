#include "common/query/query_workers.hpp"

#include <pthread.h>

#include <atomic>

namespace mc::query {

struct QueryWorkers::Job {
  Job(size_t count, const std::function<void(size_t)>& task) : count(count), task(task) {}

  // Takes tasks until none is left.
  void work() noexcept {
    for (size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) task(i);
  }
  bool exhausted() const { return next.load(std::memory_order_relaxed) >= count; }

  const size_t count;
  const std::function<void(size_t)>& task;
  std::atomic<size_t> next{0};
  std::mutex mutex;
  std::condition_variable helpers_done;
  size_t helpers_working = 0;  // under `mutex`
};

QueryWorkers::QueryWorkers(size_t helpers) {
  threads_.reserve(helpers);
  for (size_t i = 0; i < helpers; ++i) threads_.emplace_back([this] { serve(); });
}

QueryWorkers::~QueryWorkers() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

void QueryWorkers::run(size_t count, const std::function<void(size_t)>& task) {
  if (count == 0) return;
  auto job = std::make_shared<Job>(count, task);
  const bool share = !threads_.empty() && count > 1;
  if (share) {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(job);
    }
    if (count - 1 >= threads_.size()) {
      wake_.notify_all();
    } else {
      for (size_t i = 1; i < count; ++i) wake_.notify_one();
    }
  }
  job->work();
  if (share) {
    // No helper can pick the job up after this; those that did are counted.
    {
      std::lock_guard lock(mutex_);
      for (auto it = jobs_.begin(); it != jobs_.end(); ++it) {
        if (*it == job) {
          jobs_.erase(it);
          break;
        }
      }
    }
    std::unique_lock lock(job->mutex);
    job->helpers_done.wait(lock, [&] { return job->helpers_working == 0; });
  }
}

void QueryWorkers::serve() {
  pthread_setname_np(pthread_self(), "query-worker");
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
    if (stopping_) return;
    std::shared_ptr<Job> job = jobs_.front();
    if (job->exhausted()) {
      jobs_.pop_front();  // its caller finishes the tasks it took and removes nothing
      continue;
    }
    {
      // Counted while the pool's lock is held: the caller, which takes that
      // lock to remove the job, then waits for this helper too.
      std::lock_guard job_lock(job->mutex);
      ++job->helpers_working;
    }
    lock.unlock();
    job->work();
    {
      std::lock_guard job_lock(job->mutex);
      if (--job->helpers_working == 0) job->helpers_done.notify_all();
    }
    lock.lock();
  }
}

}  // namespace mc::query
