// QueryEngine's vector and range selectors over a real HeadStorage: the
// lookback window and its bounds, staleness markers, offset (negative too),
// @ with start()/end(), and which series the matchers pick.
#include <catch2/catch.hpp>
#include <cmath>

#include "tests/unit/query/engine_test_store.hpp"

namespace mc::query {
namespace {

using testing::EngineTestStore;
using testing::kMinute;
using testing::kSecond;
using testing::matrix_of;
using testing::values_of;
using testing::vector_of;

const Labels kFoo{{"__name__", "foo"}, {"job", "a"}};

TEST_CASE("engine: an instant selector reads the newest sample within the 5m lookback, both ends") {
  EngineTestStore store;
  store.add(kFoo, {{0, 1}, {kMinute, 2}});
  QueryEngine engine(store.head);
  CHECK(values_of(engine.instant_query("foo", 0)) == std::vector<double>{1});
  CHECK(values_of(engine.instant_query("foo", 30 * kSecond)) == std::vector<double>{1});
  CHECK(values_of(engine.instant_query("foo", kMinute)) == std::vector<double>{2});
  // The sample at 1m is still seen at exactly 1m + 5m, and no longer 1 ms later.
  CHECK(values_of(engine.instant_query("foo", 6 * kMinute)) == std::vector<double>{2});
  CHECK(values_of(engine.instant_query("foo", 6 * kMinute + 1)).empty());
  // Before the first sample there is nothing.
  CHECK(values_of(engine.instant_query("foo", -1)).empty());
}

TEST_CASE("engine: the lookback delta comes from the options") {
  EngineTestStore store;
  store.add(kFoo, {{0, 1}});
  EngineOptions options;
  options.lookback_delta = std::chrono::seconds(10);
  QueryEngine engine(store.head, options);
  CHECK(values_of(engine.instant_query("foo", 10 * kSecond)) == std::vector<double>{1});
  CHECK(values_of(engine.instant_query("foo", 10 * kSecond + 1)).empty());
}

TEST_CASE("engine: the selected sample keeps the series' labels and takes the evaluation time") {
  EngineTestStore store;
  store.add(kFoo, {{0, 7}});
  QueryEngine engine(store.head);
  const Vector vector = vector_of(engine.instant_query("foo", 90 * kSecond));
  REQUIRE(vector.size() == 1);
  CHECK(vector[0].labels == kFoo);
  CHECK(vector[0].t_ms == 90 * kSecond);
}

TEST_CASE("engine: a staleness marker ends a series until its next sample") {
  EngineTestStore store;
  store.add(kFoo, {{0, 1}, {kMinute, stale_nan()}, {2 * kMinute, 3}});
  QueryEngine engine(store.head);
  CHECK(values_of(engine.instant_query("foo", 59 * kSecond)) == std::vector<double>{1});
  // The marker is the newest sample: no value, not the older sample behind it.
  CHECK(values_of(engine.instant_query("foo", kMinute)).empty());
  CHECK(values_of(engine.instant_query("foo", 90 * kSecond)).empty());
  CHECK(values_of(engine.instant_query("foo", 2 * kMinute)) == std::vector<double>{3});
}

TEST_CASE("engine: a range query steps the lookback and staleness through time") {
  EngineTestStore store;
  store.add(kFoo, {{0, 1}, {kMinute, stale_nan()}, {2 * kMinute, 3}});
  QueryEngine engine(store.head);
  const Matrix matrix = matrix_of(engine.range_query("foo", 0, 3 * kMinute, 30 * kSecond));
  REQUIRE(matrix.size() == 1);
  CHECK(matrix[0].labels == kFoo);
  CHECK(matrix[0].points ==
        std::vector<Sample>{
            {0, 1}, {30 * kSecond, 1}, {2 * kMinute, 3}, {150 * kSecond, 3}, {3 * kMinute, 3}});
}

TEST_CASE("engine: offset moves the read back, a negative offset forward") {
  EngineTestStore store;
  store.add_series(kFoo, 10, kMinute, 1);  // value = minutes
  QueryEngine engine(store.head);
  CHECK(values_of(engine.instant_query("foo offset 2m", 5 * kMinute)) == std::vector<double>{3});
  CHECK(values_of(engine.instant_query("foo offset -2m", 5 * kMinute)) == std::vector<double>{7});
  CHECK(values_of(engine.instant_query("foo offset 6m", 5 * kMinute)).empty());
  const Matrix matrix = matrix_of(engine.range_query("foo offset -1m", 0, 2 * kMinute, kMinute));
  REQUIRE(matrix.size() == 1);
  CHECK(matrix[0].points == std::vector<Sample>{{0, 1}, {kMinute, 2}, {2 * kMinute, 3}});
}

TEST_CASE("engine: @ pins the read to a time, with offset, start() and end()") {
  EngineTestStore store;
  store.add_series(kFoo, 10, kMinute, 1);
  QueryEngine engine(store.head);
  CHECK(values_of(engine.instant_query("foo @ 120", 9 * kMinute)) == std::vector<double>{2});
  CHECK(values_of(engine.instant_query("foo @ 240 offset 1m", 0)) == std::vector<double>{3});
  CHECK(values_of(engine.instant_query("foo @ 240 offset -1m", 0)) == std::vector<double>{5});

  const Matrix at_end = matrix_of(engine.range_query("foo @ end()", kMinute, 3 * kMinute, kMinute));
  REQUIRE(at_end.size() == 1);
  CHECK(at_end[0].points == std::vector<Sample>{{kMinute, 3}, {2 * kMinute, 3}, {3 * kMinute, 3}});
  const Matrix at_start =
      matrix_of(engine.range_query("foo @ start()", kMinute, 3 * kMinute, kMinute));
  REQUIRE(at_start.size() == 1);
  CHECK(at_start[0].points ==
        std::vector<Sample>{{kMinute, 1}, {2 * kMinute, 1}, {3 * kMinute, 1}});
}

TEST_CASE("engine: matchers pick series, regexes fully anchored with RE2") {
  EngineTestStore store;
  store.add(kFoo, {{0, 1}});
  store.add(Labels{{"__name__", "foo"}, {"job", "b"}}, {{0, 2}});
  store.add(Labels{{"__name__", "foobar"}, {"job", "a"}}, {{0, 3}});
  QueryEngine engine(store.head);
  CHECK(values_of(engine.instant_query(R"(foo{job="b"})", 0)) == std::vector<double>{2});
  CHECK(values_of(engine.instant_query(R"(foo{job!="b"})", 0)) == std::vector<double>{1});
  CHECK(values_of(engine.instant_query(R"({__name__=~"foo"})", 0)) == std::vector<double>{1, 2});
  CHECK(values_of(engine.instant_query(R"({__name__=~"fo+.*", job=~"a"})", 0)) ==
        std::vector<double>{1, 3});
  CHECK(values_of(engine.instant_query(R"({__name__=~"foo.*", job!~"a|b"})", 0)).empty());
  // An RE2-only construct ECMAScript would refuse.
  CHECK(values_of(engine.instant_query(R"({__name__=~"(?i)FOOBAR"})", 0)) ==
        std::vector<double>{3});
}

TEST_CASE("engine: a range selector at the top of an instant query keeps both ends of its window") {
  EngineTestStore store;
  store.add(
      kFoo,
      {{0, 0}, {kMinute, 1}, {90 * kSecond, stale_nan()}, {2 * kMinute, 2}, {3 * kMinute, 3}});
  QueryEngine engine(store.head);
  const Matrix matrix = matrix_of(engine.instant_query("foo[2m]", 2 * kMinute));
  REQUIRE(matrix.size() == 1);
  CHECK(matrix[0].labels == kFoo);
  // [0, 2m] both included, the staleness marker left out.
  CHECK(matrix[0].points == std::vector<Sample>{{0, 0}, {kMinute, 1}, {2 * kMinute, 2}});
  const Matrix shifted = matrix_of(engine.instant_query("foo[1m] offset -1m", 2 * kMinute));
  REQUIRE(shifted.size() == 1);
  CHECK(shifted[0].points == std::vector<Sample>{{2 * kMinute, 2}, {3 * kMinute, 3}});
  const Matrix pinned = matrix_of(engine.instant_query("foo[1m] @ 60", 10 * kMinute));
  REQUIRE(pinned.size() == 1);
  CHECK(pinned[0].points == std::vector<Sample>{{0, 0}, {kMinute, 1}});
  CHECK(matrix_of(engine.instant_query("foo[30s]", 100 * kSecond)).empty());
}

}  // namespace
}  // namespace mc::query
