// The config's `storage.block_index_cache` and `storage.block_group_cache`:
// the byte budgets of the parsed block indexes and of the decompressed chunk
// groups, their defaults and the error of a bad value.
#include <catch2/catch.hpp>

#include "common/config/config.hpp"
#include "tests/support/config_parsing.hpp"

TEST_CASE("storage config: block_index_cache is a byte size, 64MB by default", "[storage_config]") {
  CHECK(mc::test::parse_config_ok("scrape_configs: []\n").storage.block_index_cache_bytes ==
        uint64_t{64} << 20);
  CHECK(mc::test::parse_config_ok("storage:\n  block_index_cache: 256MB\n")
            .storage.block_index_cache_bytes == uint64_t{256} << 20);
  CHECK(mc::test::parse_config_ok("storage:\n  block_index_cache: 0\n")
            .storage.block_index_cache_bytes == 0);
  CHECK_THAT(
      mc::test::parse_config_error("storage:\n  block_index_cache: lots\n"),
      Catch::StartsWith("config.yml:2:22: storage.block_index_cache: invalid size \"lots\""));
}

TEST_CASE("storage config: block_group_cache is a byte size, 64MB by default", "[storage_config]") {
  CHECK(mc::test::parse_config_ok("scrape_configs: []\n").storage.block_group_cache_bytes ==
        uint64_t{64} << 20);
  CHECK(mc::test::parse_config_ok("storage:\n  block_group_cache: 16MB\n")
            .storage.block_group_cache_bytes == uint64_t{16} << 20);
  CHECK(mc::test::parse_config_ok("storage:\n  block_group_cache: 0\n")
            .storage.block_group_cache_bytes == 0);
  CHECK_THAT(mc::test::parse_config_error("storage:\n  block_group_cache: -1\n"),
             Catch::StartsWith("config.yml:2:22: storage.block_group_cache: invalid size \"-1\""));
}
