// A long query's series shared with helper threads (series_evaluation.hpp)
// answer exactly as one thread does: the same matrices to the bit, over raw
// blocks (whose series of one target share a decoded timestamp column) and
// the head, and the same "too many samples" verdict at every max_samples.
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "common/query/engine.hpp"
#include "common/store/disk_storage.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/query/engine_test_store.hpp"

// A namespace of its own: unity batches put this beside the other engine tests.
namespace mc::query::engine_parallel_test {
namespace {

using namespace std::chrono_literals;
using testing::kMinute;
using testing::kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kScrape = 15 * kSecond;
constexpr int64_t kBlocksEnd = 3 * kHour;  // cut into 20-minute raw blocks
constexpr int64_t kDataEnd = 4 * kHour;    // the last hour in the head
constexpr int kTargets = 16;

// Sixteen targets (64 series-hours and more: kSeriesHoursWorthSharing), each with a counter that
// resets, a gauge and a histogram's buckets, all scraped at the same times (so a block stores each
// target's timestamps once and its series share them when read).
struct ParallelStore {
  ParallelStore() {
    options.dir = dir.path();
    options.block_duration_ms = 20 * kMinute;
    options.compaction_interval = 0ms;
    options.wal.fsync_policy = FsyncPolicy::never;
    options.tiers = {{"raw", 0, 30 * kDay, 20 * kMinute}};
    options.clock = [this] { return now; };
    auto opened = DiskStorage::open(options);
    REQUIRE(opened);
    storage = std::move(*opened);
    append(0, kBlocksEnd);
    REQUIRE(storage->flush());
    now = kBlocksEnd + 2 * kHour;
    REQUIRE(storage->compact());
    append(kBlocksEnd, kDataEnd);
  }

  void append(int64_t from, int64_t to) {
    auto appender = storage->appender();
    for (int64_t t = from; t < to; t += kScrape) {
      const int64_t i = t / kScrape;
      for (int target = 0; target < kTargets; ++target) {
        const std::string instance = "host-" + std::to_string(target);
        const auto hash = static_cast<double>(
            (static_cast<uint64_t>(i) * 2654435761u + static_cast<uint64_t>(target) * 97) % 1000);
        appender->append(0, Labels{{"__name__", "requests_total"}, {"instance", instance}}, t,
                         static_cast<double>(i % 300) * (3 + target) + hash / 100);
        appender->append(0, Labels{{"__name__", "queue_depth"}, {"instance", instance}}, t,
                         std::sin(static_cast<double>(i) / 40 + target) * 20 + hash / 1000);
        for (const char* le : {"0.1", "1", "+Inf"}) {
          appender->append(
              0, Labels{{"__name__", "latency_bucket"}, {"instance", instance}, {"le", le}}, t,
              static_cast<double>(i) * (le[0] == '+'   ? 4
                                        : le[0] == '1' ? 3
                                                       : 1));
        }
      }
    }
    REQUIRE(appender->commit());
  }

  test::TempDir dir;
  DiskStorageOptions options;
  int64_t now = 0;
  std::unique_ptr<DiskStorage> storage;
};

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Returns whether both answered.
bool check_same(const QueryResult& one_thread, const QueryResult& shared) {
  REQUIRE(one_thread.ok() == shared.ok());
  if (!one_thread.ok()) {
    CHECK(one_thread.error->message == shared.error->message);
    return false;
  }
  const auto& expected = std::get<Matrix>(one_thread.value);
  const auto& got = std::get<Matrix>(shared.value);
  REQUIRE(expected.size() == got.size());
  for (size_t s = 0; s < expected.size(); ++s) {
    INFO(expected[s].labels.to_string());
    REQUIRE(expected[s].labels == got[s].labels);
    REQUIRE(expected[s].points.size() == got[s].points.size());
    for (size_t p = 0; p < expected[s].points.size(); ++p) {
      REQUIRE(expected[s].points[p].t_ms == got[s].points[p].t_ms);
      REQUIRE(same_bits(expected[s].points[p].v, got[s].points[p].v));
    }
  }
  return true;
}

EngineOptions with_workers(int workers, uint64_t max_samples = 50'000'000) {
  EngineOptions options;
  options.workers = workers;
  options.max_samples = max_samples;
  return options;
}

const char* const kQueries[] = {
    "queue_depth",
    "queue_depth offset 7m",
    "sum by (instance) (rate(requests_total[5m]))",
    "increase(requests_total[10m])",
    "max_over_time(queue_depth[10m])",
    "avg_over_time(queue_depth[3m])",
    "quantile_over_time(0.9, queue_depth[10m])",
    "predict_linear(queue_depth[30m], 600)",
    "deriv(queue_depth[5m])",
    "holt_winters(queue_depth[10m], 0.5, 0.5)",
    "resets(requests_total[30m])",
    "histogram_quantile(0.9, sum by (le) (rate(latency_bucket[5m])))",
    "last_over_time(queue_depth[1m])",
    "topk(3, queue_depth)",
};

TEST_CASE("engine: series shared with helpers answer to the bit as one thread does",
          "[query][workers]") {
  ParallelStore store;
  QueryEngine one_thread(*store.storage, with_workers(0));
  QueryEngine shared(*store.storage, with_workers(3));
  for (const char* query : kQueries) {
    INFO(query);
    // 4 hours of 16 to 48 series: at or past kSeriesHoursWorthSharing.
    CHECK(check_same(one_thread.range_query(query, 0, kDataEnd, kScrape),
                     shared.range_query(query, 0, kDataEnd, kScrape)));
    CHECK(check_same(one_thread.range_query(query, 10 * kSecond, kDataEnd, 7 * kSecond),
                     shared.range_query(query, 10 * kSecond, kDataEnd, 7 * kSecond)));
  }
}

TEST_CASE("engine: helpers or not, a query fails for too many samples at the same max_samples",
          "[query][workers]") {
  ParallelStore store;
  int answered = 0;
  int failed = 0;
  for (const uint64_t max_samples :
       {1'000u, 7'000u, 7'700u, 7'800u, 8'000u, 15'000u, 23'000u, 23'100u, 30'000u, 200'000u}) {
    INFO("max_samples " << max_samples);
    QueryEngine one_thread(*store.storage, with_workers(0, max_samples));
    QueryEngine shared(*store.storage, with_workers(3, max_samples));
    for (const char* query : {"queue_depth", "max_over_time(queue_depth[10m])",
                              "rate(latency_bucket[5m])", "requests_total"}) {
      INFO(query);
      if (check_same(one_thread.range_query(query, 0, kDataEnd, kScrape),
                     shared.range_query(query, 0, kDataEnd, kScrape))) {
        ++answered;
      } else {
        ++failed;
      }
    }
  }
  // The limits above fall on both sides of each query's peak.
  CHECK(answered > 8);
  CHECK(failed > 8);
}

}  // namespace
}  // namespace mc::query::engine_parallel_test
