// WorkerPool: a fixed set of threads that run submitted tasks in FIFO order.
//
// The daemon is sized for 2 cores, so work that burns CPU (parsing scraped
// bodies, appending to the store) runs on a small pool instead of a thread per
// target. Tasks must not throw.
//
// Thread-safety: submit() may be called from any thread. The destructor runs
// the tasks already queued, then joins the threads.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mc {

class WorkerPool {
 public:
  explicit WorkerPool(size_t threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void submit(std::function<void()> task);
  size_t queued() const;

 private:
  void run();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;  // guarded by mutex_
  bool stopping_ = false;                    // guarded by mutex_
  std::vector<std::thread> threads_;
};

}  // namespace mc
