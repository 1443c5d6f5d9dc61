// SharedMetadata is how scrape loops hold a family's TYPE, HELP and UNIT:
// one copy for every target declaring the same family, freed with the last
// handle, so that neither many targets nor a HELP text that changes every
// scrape grow it. The pool is process-wide, so these tests count its size
// relative to what it held when they began.
#include "common/model/shared_metadata.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace shared_metadata_test {

mc::MetricMetadata gauge(std::string family, std::string help) {
  return mc::MetricMetadata{std::move(family), mc::MetricType::gauge, std::move(help), ""};
}

}  // namespace shared_metadata_test

using shared_metadata_test::gauge;

TEST_CASE("equal metadata is one pooled copy, freed with its last handle", "[metadata]") {
  const size_t before = mc::SharedMetadata::pool_size();
  {
    auto first = mc::SharedMetadata::intern(gauge("shared_metadata_a", "help"));
    auto second = mc::SharedMetadata::intern(gauge("shared_metadata_a", "help"));
    REQUIRE(first);
    CHECK(&*first == &*second);
    CHECK(*first == gauge("shared_metadata_a", "help"));
    CHECK(mc::SharedMetadata::pool_size() == before + 1);

    // Any field apart makes another copy: help, type, unit.
    auto other_help = mc::SharedMetadata::intern(gauge("shared_metadata_a", "other"));
    auto counter = mc::SharedMetadata::intern(
        mc::MetricMetadata{"shared_metadata_a", mc::MetricType::counter, "help", ""});
    auto with_unit = mc::SharedMetadata::intern(
        mc::MetricMetadata{"shared_metadata_a", mc::MetricType::gauge, "help", "seconds"});
    CHECK(&*other_help != &*first);
    CHECK(&*counter != &*first);
    CHECK(&*with_unit != &*first);
    CHECK(mc::SharedMetadata::pool_size() == before + 4);

    first = mc::SharedMetadata();  // second still holds it
    CHECK(mc::SharedMetadata::pool_size() == before + 4);
    CHECK(second->help == "help");
  }
  CHECK(mc::SharedMetadata::pool_size() == before);
}

TEST_CASE("SharedMetadata copies and moves count references", "[metadata]") {
  const size_t before = mc::SharedMetadata::pool_size();
  mc::SharedMetadata null;
  CHECK_FALSE(null);
  {
    auto held = mc::SharedMetadata::intern(gauge("shared_metadata_b", "help"));
    mc::SharedMetadata copy = held;
    mc::SharedMetadata moved = std::move(held);
    CHECK_FALSE(held);  // NOLINT(bugprone-use-after-move): a moved-from handle is null
    held = null;
    CHECK(copy->family == "shared_metadata_b");
    CHECK(&*copy == &*moved);
    copy = mc::SharedMetadata();
    CHECK(mc::SharedMetadata::pool_size() == before + 1);
  }
  CHECK(mc::SharedMetadata::pool_size() == before);
}

TEST_CASE("SharedMetadata handles made and dropped on many threads at once", "[metadata]") {
  const size_t before = mc::SharedMetadata::pool_size();
  auto kept = mc::SharedMetadata::intern(gauge("shared_metadata_c0", "kept"));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 4; ++thread) {
    threads.emplace_back([&, thread] {
      for (int round = 0; round < 2000; ++round) {
        // Two families every thread interns (one always held), one of its own.
        auto shared = mc::SharedMetadata::intern(gauge("shared_metadata_c0", "kept"));
        auto churned = mc::SharedMetadata::intern(gauge("shared_metadata_c1", "churned"));
        auto own = mc::SharedMetadata::intern(
            gauge("shared_metadata_c2", "thread " + std::to_string(thread)));
        mc::SharedMetadata copy = churned;
        if (&*shared != &*kept || copy->help != "churned" ||
            own->help != "thread " + std::to_string(thread)) {
          wrong.fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(wrong.load() == 0);
  CHECK(mc::SharedMetadata::pool_size() == before + 1);
  kept = mc::SharedMetadata();
  CHECK(mc::SharedMetadata::pool_size() == before);
}
