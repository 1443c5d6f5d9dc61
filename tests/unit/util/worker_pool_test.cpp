#include "common/util/worker_pool.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <set>
#include <thread>

namespace mc {
namespace {

TEST_CASE("a worker pool runs every task, on its own threads", "[worker_pool]") {
  std::atomic<int> done{0};
  std::mutex mutex;
  std::set<std::thread::id> threads;
  {
    WorkerPool pool(2);
    for (int i = 0; i < 1000; ++i) {
      pool.submit([&] {
        {
          std::lock_guard lock(mutex);
          threads.insert(std::this_thread::get_id());
        }
        ++done;
      });
    }
  }  // the destructor drains the queue before joining
  CHECK(done == 1000);
  CHECK(threads.size() <= 2);
  CHECK_FALSE(threads.contains(std::this_thread::get_id()));
}

TEST_CASE("a pool asked for zero threads still runs tasks", "[worker_pool]") {
  std::atomic<int> done{0};
  {
    WorkerPool pool(0);
    pool.submit([&] { ++done; });
  }
  CHECK(done == 1);
}

}  // namespace
}  // namespace mc
