// SharedLabels is how the store, the scrape cache and the exporter hold one
// series' labels between them: null must stay apart from the empty set, and
// identity() must name a label set the way the shared_ptr's address did
// (the exporter's prefix cache keys by it, and evicts at use_count() 1).
#include "common/model/shared_labels.hpp"

#include <catch2/catch.hpp>
#include <utility>

namespace shared_labels_test {

mc::Labels up_of(const char* job) { return mc::Labels{{"__name__", "up"}, {"job", job}}; }

}  // namespace shared_labels_test

TEST_CASE("SharedLabels null is apart from the empty label set", "[labels]") {
  const mc::SharedLabels null;
  CHECK_FALSE(null);
  CHECK(null == nullptr);
  CHECK(null.identity() == nullptr);
  CHECK(null.use_count() == 0);

  const mc::SharedLabels empty(mc::Labels{});
  REQUIRE(empty);
  CHECK_FALSE(empty == nullptr);
  CHECK(empty->empty());
  CHECK(empty->size() == 0);
  CHECK(*empty == mc::Labels{});
  CHECK(empty->hash() == mc::Labels{}.hash());
  CHECK(empty.identity() != nullptr);
  CHECK(mc::SharedLabels(mc::Labels{}).identity() != empty.identity());
}

TEST_CASE("SharedLabels copies share identity and count, equal sets built apart do not",
          "[labels]") {
  const mc::SharedLabels first(shared_labels_test::up_of("node"));
  CHECK(first.use_count() == 1);
  mc::SharedLabels second = first;
  CHECK(second.identity() == first.identity());
  CHECK(first.use_count() == 2);
  // A Labels taken out of the handle shares it too (the head's labels()).
  const mc::Labels copied = *first;
  CHECK(copied.identity() == first.identity());
  CHECK(first.use_count() == 3);

  const mc::SharedLabels apart(shared_labels_test::up_of("node"));
  CHECK(*apart == *first);
  CHECK(apart.identity() != first.identity());

  second.reset();
  CHECK_FALSE(second);
  CHECK(first.use_count() == 2);
  mc::SharedLabels moved = std::move(second);
  CHECK_FALSE(moved);
  mc::SharedLabels taken = first;
  mc::SharedLabels target;
  target = std::move(taken);
  CHECK(target.identity() == first.identity());
  CHECK(first.use_count() == 3);
  CHECK(target->get("job") == "node");
}

TEST_CASE("SharedLabels keeps the pairs alive after the Labels it was made from is gone",
          "[labels]") {
  mc::SharedLabels kept;
  {
    mc::Labels built = shared_labels_test::up_of("gone");
    kept = mc::SharedLabels(built);
    CHECK(kept.use_count() == 2);
  }
  CHECK(kept.use_count() == 1);
  CHECK(kept->get("job") == "gone");
  CHECK(kept->metric_name() == "up");
}
