// QueryEngine over a DiskStorage whose block data is damaged after it was
// opened: the read error reaches the query's answer as an internal error with
// the store's words, and nothing crashes.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "common/query/engine.hpp"
#include "common/store/disk_storage.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc::query {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Not kSecond: in a unity batch (MC_UNITY_TESTS) this file follows ones that
// bring engine_test_store.hpp's kSecond into this namespace.
constexpr int64_t kMillisPerSecond = 1000;

void damage_every_byte(const fs::path& file) {
  const auto size = fs::file_size(file);
  std::fstream data(file, std::ios::in | std::ios::out | std::ios::binary);
  for (std::streamoff at = 0; at < static_cast<std::streamoff>(size); ++at) {
    char byte = 0;
    data.seekg(at);
    data.get(byte);
    data.seekp(at);
    data.put(static_cast<char>(byte ^ 0x5a));
  }
}

TEST_CASE("engine: a store read failure is an internal error") {
  test::TempDir dir;
  DiskStorageOptions options;
  options.dir = dir.path();
  options.block_duration_ms = 10 * kMillisPerSecond;
  options.compaction_interval = 0ms;
  options.wal.fsync_policy = FsyncPolicy::never;
  options.clock = [] { return int64_t{0}; };
  auto opened = DiskStorage::open(options);
  REQUIRE(opened);
  DiskStorage& storage = **opened;
  {
    auto appender = storage.appender();
    for (int s = 0; s < 40; ++s) {
      REQUIRE(appender->append(0, Labels{{"__name__", "x"}}, s * kMillisPerSecond, s).error ==
              AppendError::none);
    }
    REQUIRE(appender->commit());
  }
  REQUIRE(storage.compact());
  QueryEngine engine(storage);
  REQUIRE(engine.instant_query("count_over_time(x[5s])", 35 * kMillisPerSecond).ok());
  for (const auto& block : fs::directory_iterator(dir.path() / "blocks")) {
    damage_every_byte(block.path() / "data");
  }
  const QueryResult result = engine.instant_query("count_over_time(x[9s])", 9 * kMillisPerSecond);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error->kind == QueryErrorKind::Internal);
  CHECK(result.error->message.rfind("reading the store: ", 0) == 0);
  INFO(result.error->message);
  // Where only the head is read, the engine still answers.
  CHECK(engine.instant_query("x[1s]", 39 * kMillisPerSecond).ok());
}

}  // namespace
}  // namespace mc::query
