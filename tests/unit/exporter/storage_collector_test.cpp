#include "exporter/storage_collector.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "common/store/disk_storage.hpp"
#include "common/store/head_storage.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc {
namespace {

TEST_CASE("store statistics are read from the store at collect time", "[storage_collector]") {
  HeadStorage storage;
  StorageCollector collector(storage);
  auto appender = storage.appender();
  Labels labels{{std::string(kMetricNameLabel), "x"}, {"job", "j"}};
  auto first = appender->append(0, labels, 2000, 1);
  appender->append(first.ref, {}, 3000, 2);
  REQUIRE(appender->commit().is_ok());
  appender = storage.appender();
  appender->append(first.ref, labels, 1000, 5);  // older than the newest: out of order
  appender->commit();

  std::map<std::string, prometheus::MetricFamily> families;
  for (auto& family : collector.Collect()) families[family.name] = family;
  const StorageStats stats = storage.stats();
  REQUIRE(families.size() == 7);
  CHECK(families.at("metrics_collector_head_series").metric[0].gauge.value == 1);
  CHECK(families.at("metrics_collector_head_samples").metric[0].gauge.value ==
        static_cast<double>(stats.samples));
  CHECK(families.at("metrics_collector_head_chunk_bytes").metric[0].gauge.value ==
        static_cast<double>(stats.chunk_bytes));
  CHECK(families.at("metrics_collector_samples_appended_total").metric[0].counter.value == 2);
  const auto& rejected = families.at("metrics_collector_samples_rejected_total");
  REQUIRE(rejected.metric.size() == 2);
  CHECK(rejected.metric[1].label[0].value == "out_of_order");
  CHECK(rejected.metric[1].counter.value == 1);
  if (stats.samples > 0) {
    CHECK(families.at("metrics_collector_head_bytes_per_sample").metric[0].gauge.value ==
          Approx(static_cast<double>(stats.chunk_bytes) / static_cast<double>(stats.samples)));
  }
}

TEST_CASE("a disk store reports the block caches every block shares", "[storage_collector]") {
  test::TempDir dir;
  DiskStorageOptions options;
  options.dir = dir.path();
  options.compaction_interval = std::chrono::milliseconds(0);
  auto storage = DiskStorage::open(options);
  REQUIRE(storage.is_ok());
  StorageCollector collector(**storage);
  std::map<std::string, prometheus::MetricFamily> families;
  for (auto& family : collector.Collect()) families[family.name] = family;
  const auto& held = families.at("metrics_collector_block_cache_bytes");
  const auto& budget = families.at("metrics_collector_block_cache_budget_bytes");
  REQUIRE(held.metric.size() == 2);
  REQUIRE(budget.metric.size() == 2);
  CHECK(held.metric[0].label[0].value == "index");
  CHECK(held.metric[1].label[0].value == "groups");
  const StorageStats stats = (*storage)->stats();
  REQUIRE(stats.disk);
  CHECK(budget.metric[0].gauge.value == static_cast<double>(stats.disk->index_cache_budget_bytes));
  CHECK(budget.metric[1].gauge.value == static_cast<double>(stats.disk->group_cache_budget_bytes));
  CHECK(budget.metric[1].gauge.value > 0);
  CHECK(held.metric[1].gauge.value == static_cast<double>(stats.disk->group_cache_bytes));
}

}  // namespace
}  // namespace mc
