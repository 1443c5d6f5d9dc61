// QueryEngine's limits: the samples a query may hold, the timeout that stops
// a query of death during evaluation, and the concurrency gate queries wait
// at.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "common/query/concurrency_gate.hpp"
#include "tests/unit/query/engine_test_store.hpp"

namespace mc::query {
namespace {

using testing::EngineTestStore;
using testing::kMinute;
using testing::kSecond;
using testing::matrix_of;
using testing::values_of;

const Labels kMetric{{"__name__", "metric"}};

void check_too_many_samples(const QueryResult& result) {
  REQUIRE_FALSE(result.ok());
  CHECK(result.error->kind == QueryErrorKind::Execution);
  CHECK(result.error->message ==
        "query processing would load too many samples into memory in query execution");
}

TEST_CASE("engine: a query over max_samples fails, one under it does not") {
  EngineTestStore store;
  store.add_series(kMetric, 11, 10 * kSecond, 1);
  EngineOptions options;
  options.max_samples = 10;
  QueryEngine engine(store.head, options);
  CHECK(values_of(engine.instant_query("metric", 100 * kSecond)) == std::vector<double>{10});
  CHECK(matrix_of(engine.instant_query("metric[90s]", 100 * kSecond)).at(0).points.size() == 10);
  // 11 samples in the window.
  check_too_many_samples(engine.instant_query("metric[100s]", 100 * kSecond));
  check_too_many_samples(engine.instant_query("count_over_time(metric[100s])", 100 * kSecond));
  // 11 steps of one series.
  check_too_many_samples(engine.range_query("metric", 0, 100 * kSecond, 10 * kSecond));
  check_too_many_samples(engine.instant_query("sum_over_time(metric[100s:10s])", 100 * kSecond));
  // The failed queries released what they held: the engine still answers.
  CHECK(values_of(engine.instant_query("metric", 100 * kSecond)) == std::vector<double>{10});
}

TEST_CASE("engine: a query of death stops at the timeout with Prometheus's error") {
  EngineTestStore store;
  store.add_series(kMetric, 11, 10 * kSecond, 1);
  EngineOptions options;
  options.timeout = std::chrono::milliseconds(100);
  QueryEngine engine(store.head, options);
  const auto started = std::chrono::steady_clock::now();
  // About 8.6e8 subquery steps: minutes of work without the timeout.
  const QueryResult result = engine.instant_query("count_over_time(metric[10000d:1s])", 0);
  const auto took = std::chrono::steady_clock::now() - started;
  REQUIRE_FALSE(result.ok());
  CHECK(result.error->kind == QueryErrorKind::Timeout);
  CHECK(result.error->message == "query timed out in expression evaluation");
  // Bounded well below the work's length, with room for a loaded machine.
  CHECK(took < std::chrono::seconds(20));
  // A range query of many steps stops too.
  const QueryResult stepped = engine.range_query("metric * 2", 0, int64_t{1} << 40, 1);
  REQUIRE_FALSE(stepped.ok());
  CHECK(stepped.error->kind == QueryErrorKind::Timeout);
}

TEST_CASE("engine: a timeout too long to add to the clock means none") {
  EngineTestStore store;
  store.add_series(kMetric, 11, 10 * kSecond, 1);
  EngineOptions options;
  options.timeout = std::chrono::milliseconds::max();
  QueryEngine engine(store.head, options);
  CHECK(values_of(engine.instant_query("metric", 100 * kSecond)) == std::vector<double>{10});
}

TEST_CASE("concurrency gate: at most N inside, a waiter gives up at its deadline") {
  ConcurrencyGate gate(2);
  const auto soon = [] { return std::chrono::steady_clock::now() + std::chrono::milliseconds(50); };
  REQUIRE(gate.enter(soon()));
  REQUIRE(gate.enter(soon()));
  CHECK(gate.in_use() == 2);
  CHECK_FALSE(gate.enter(soon()));
  gate.leave();
  CHECK(gate.enter(soon()));
  gate.leave();
  gate.leave();
  CHECK(gate.in_use() == 0);
}

TEST_CASE("concurrency gate: a waiter enters when a slot frees up") {
  ConcurrencyGate gate(1);
  REQUIRE(gate.enter(std::chrono::steady_clock::now()));
  std::atomic<bool> entered{false};
  std::thread waiter(
      [&] { entered = gate.enter(std::chrono::steady_clock::now() + std::chrono::seconds(30)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK_FALSE(entered.load());
  gate.leave();
  waiter.join();
  CHECK(entered.load());
  CHECK(gate.in_use() == 1);
  gate.leave();
}

TEST_CASE("concurrency gate: many threads never exceed the bound") {
  ConcurrencyGate gate(3);
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        // Catch2's assertions are not thread-safe: count here, check after join.
        if (!gate.enter(std::chrono::steady_clock::now() + std::chrono::seconds(30))) {
          ++refused;
          continue;
        }
        const int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --inside;
        gate.leave();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(refused.load() == 0);
  CHECK(most.load() <= 3);
  CHECK(most.load() >= 1);
  CHECK(gate.in_use() == 0);
}

TEST_CASE("concurrency gate: no slots configured still lets one query run") {
  ConcurrencyGate gate(0);
  CHECK(gate.enter(std::chrono::steady_clock::now()));
  CHECK_FALSE(gate.enter(std::chrono::steady_clock::now()));
  gate.leave();
}

TEST_CASE("engine: queries from many threads under max_concurrency all answer") {
  EngineTestStore store;
  store.add_series(kMetric, 11, 10 * kSecond, 1);
  EngineOptions options;
  options.max_concurrency = 2;
  QueryEngine engine(store.head, options);
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        const QueryResult result = engine.range_query("metric", 0, 100 * kSecond, kMinute / 6);
        if (result.ok() && std::get<Matrix>(result.value).size() == 1) ++answered;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(answered.load() == 120);
}

}  // namespace
}  // namespace mc::query
