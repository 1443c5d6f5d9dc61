#include "common/store/store_lock.hpp"

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.hpp"

namespace mc {
namespace {

TEST_CASE("A store lock excludes a second holder until it is released", "[store][lock]") {
  test::TempDir dir;
  {
    auto first = StoreLock::acquire(dir.path());
    REQUIRE(first);
    CHECK(std::filesystem::exists(dir.path() / "lock"));
    // flock belongs to the open file description: a second acquire in this
    // process conflicts just as another process would.
    auto second = StoreLock::acquire(dir.path());
    REQUIRE_FALSE(second);
    CHECK_THAT(second.error(), Catch::Contains((dir.path() / "lock").string()) &&
                                   Catch::Contains("in use by another process"));
  }
  CHECK(StoreLock::acquire(dir.path()));
}

TEST_CASE("A store lock on a missing directory names the file and the reason", "[store][lock]") {
  test::TempDir dir;
  auto lock = StoreLock::acquire(dir.path() / "missing");
  REQUIRE_FALSE(lock);
  CHECK_THAT(lock.error(),
             Catch::Contains("missing/lock") && Catch::Contains("No such file or directory"));
}

}  // namespace
}  // namespace mc
