// QueryWorkers: every task runs once, on the caller and the helpers; callers
// at once and a run inside a task all finish. (Errors are values, handed back
// by series_evaluation: engine_parallel_test.cpp.)
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "common/query/query_workers.hpp"

namespace mc::query {
namespace {

TEST_CASE("query workers: each task runs exactly once, on more than one thread",
          "[query][workers]") {
  QueryWorkers workers(3);
  CHECK(workers.helpers() == 3);
  std::vector<std::atomic<int>> runs(2000);
  std::mutex mutex;
  std::vector<std::thread::id> threads;
  workers.run(runs.size(), [&](size_t i) {
    runs[i].fetch_add(1);
    std::lock_guard lock(mutex);
    if (std::find(threads.begin(), threads.end(), std::this_thread::get_id()) == threads.end())
      threads.push_back(std::this_thread::get_id());
  });
  for (const auto& count : runs) REQUIRE(count.load() == 1);
  CHECK(!threads.empty());
}

TEST_CASE("query workers: without helpers the caller runs every task in order",
          "[query][workers]") {
  QueryWorkers workers(0);
  std::vector<size_t> order;
  const auto caller = std::this_thread::get_id();
  workers.run(100, [&](size_t i) {
    CHECK(std::this_thread::get_id() == caller);
    order.push_back(i);
  });
  REQUIRE(order.size() == 100);
  for (size_t i = 0; i < order.size(); ++i) CHECK(order[i] == i);
  workers.run(0, [](size_t) { FAIL("no task to run"); });
}

TEST_CASE("query workers: many callers at once and runs inside tasks all finish",
          "[query][workers]") {
  QueryWorkers workers(2);
  std::atomic<long> total{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 6; ++c) {
    callers.emplace_back([&] {
      for (int round = 0; round < 20; ++round) {
        workers.run(8, [&](size_t) { workers.run(5, [&](size_t) { total.fetch_add(1); }); });
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  CHECK(total.load() == 6 * 20 * 8 * 5);
}

}  // namespace
}  // namespace mc::query
