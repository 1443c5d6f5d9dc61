// QueryEngine's subqueries and range-vector function calls over a real
// HeadStorage: the aligned subquery grid with both window ends, the default
// step, offset and @ on subqueries, nesting, and what the engine itself does
// for functions (labels, absent_over_time, timestamp, scalar results).
#include <catch2/catch.hpp>

#include "common/query/parser.hpp"
#include "common/query/step_invariance.hpp"
#include "tests/unit/query/engine_test_store.hpp"

namespace mc::query {
namespace {

using testing::EngineTestStore;
using testing::kMinute;
using testing::kSecond;
using testing::matrix_of;
using testing::scalar_of;
using testing::values_of;
using testing::vector_of;

const Labels kMetric{{"__name__", "metric"}, {"job", "1"}};

// metric = 0, 1, 2, ... every 10 s from 0 to 1000 s.
EngineTestStore& ten_second_store() {
  static EngineTestStore store;
  static const bool loaded = [] {
    store.add_series(kMetric, 101, 10 * kSecond, 1);
    return true;
  }();
  (void)loaded;
  return store;
}

TEST_CASE("engine: a subquery steps on multiples of its step, both window ends included") {
  QueryEngine engine(ten_second_store().head);
  // 0 + 1 + ... + 10 at 0 s, 10 s, ..., 100 s.
  CHECK(values_of(engine.instant_query("sum_over_time(metric[100s:10s])", 100 * kSecond)) ==
        std::vector<double>{55});
  // At 105 s the grid still starts at the first multiple of 10 s at or after 5 s.
  CHECK(values_of(engine.instant_query("count_over_time(metric[100s:10s])", 105 * kSecond)) ==
        std::vector<double>{10});
}

TEST_CASE("engine: a subquery without a step takes the default step of the options") {
  QueryEngine engine(ten_second_store().head);
  CHECK(values_of(engine.instant_query("count_over_time(metric[5m:])", 5 * kMinute)) ==
        std::vector<double>{6});
  EngineOptions options;
  options.subquery_default_step = std::chrono::seconds(30);
  QueryEngine thirty(ten_second_store().head, options);
  CHECK(values_of(thirty.instant_query("count_over_time(metric[5m:])", 5 * kMinute)) ==
        std::vector<double>{11});
}

TEST_CASE("engine: options a query cannot run with take the defaults") {
  EngineOptions options;
  options.lookback_delta = std::chrono::milliseconds(0);
  options.subquery_default_step = std::chrono::milliseconds(-5);
  options.max_concurrency = 0;
  QueryEngine engine(ten_second_store().head, options);
  CHECK(engine.options().lookback_delta == std::chrono::minutes(5));
  CHECK(engine.options().subquery_default_step == std::chrono::minutes(1));
  CHECK(engine.options().max_concurrency == 1);
  CHECK(values_of(engine.instant_query("count_over_time(metric[5m:])", 5 * kMinute)) ==
        std::vector<double>{6});
  CHECK(values_of(engine.instant_query("metric", 1200 * kSecond)) == std::vector<double>{100});
}

TEST_CASE("engine: offset and @ move a subquery's window") {
  QueryEngine engine(ten_second_store().head);
  // [30 s, 50 s]: 3 + 4 + 5.
  CHECK(values_of(engine.instant_query("sum_over_time(metric[20s:10s] offset 50s)",
                                       100 * kSecond)) == std::vector<double>{12});
  CHECK(values_of(engine.instant_query("sum_over_time(metric[20s:10s] @ 50)", 1000 * kSecond)) ==
        std::vector<double>{12});
  CHECK(values_of(engine.instant_query("sum_over_time(metric[20s:10s] @ 70 offset 20s)", 0)) ==
        std::vector<double>{12});
  // A negative offset reads after the evaluation time: [60 s, 80 s].
  CHECK(values_of(engine.instant_query("sum_over_time(metric[20s:10s] offset -30s)",
                                       50 * kSecond)) == std::vector<double>{21});
}

TEST_CASE("engine: nested subqueries evaluate the inner one on each outer step") {
  QueryEngine engine(ten_second_store().head);
  // Inner sums at 70..100 s: 18, 21, 24, 27.
  CHECK(values_of(engine.instant_query("max_over_time(sum_over_time(metric[20s:10s])[30s:10s])",
                                       100 * kSecond)) == std::vector<double>{27});
  CHECK(values_of(engine.instant_query("sum_over_time(sum_over_time(metric[20s:10s])[30s:10s])",
                                       100 * kSecond)) == std::vector<double>{90});
}

TEST_CASE("engine: a subquery at the top of an instant query is its points, labels kept") {
  QueryEngine engine(ten_second_store().head);
  const Matrix matrix = matrix_of(engine.instant_query("metric[30s:10s]", 95 * kSecond));
  REQUIRE(matrix.size() == 1);
  CHECK(matrix[0].labels == kMetric);
  CHECK(matrix[0].points ==
        std::vector<Sample>{{70 * kSecond, 7}, {80 * kSecond, 8}, {90 * kSecond, 9}});
}

TEST_CASE("engine: range-vector functions drop __name__, except last_over_time") {
  QueryEngine engine(ten_second_store().head);
  const Vector counted = vector_of(engine.instant_query("count_over_time(metric[1m])", kMinute));
  REQUIRE(counted.size() == 1);
  CHECK(counted[0].labels == Labels{{"job", "1"}});
  CHECK(counted[0].v == 7);
  const Vector last = vector_of(engine.instant_query("last_over_time(metric[1m])", 65 * kSecond));
  REQUIRE(last.size() == 1);
  CHECK(last[0].labels == kMetric);
  CHECK(last[0].v == 6);
  CHECK(last[0].t_ms == 65 * kSecond);
}

TEST_CASE("engine: a range-vector function over series that lose their names alike fails") {
  EngineTestStore store;
  store.add(Labels{{"__name__", "a"}, {"job", "1"}}, {{0, 1}});
  store.add(Labels{{"__name__", "b"}, {"job", "1"}}, {{kMinute, 1}});
  QueryEngine engine(store.head);
  // The two series never share a step, and still collide, as in Prometheus.
  const QueryResult result =
      engine.range_query(R"(count_over_time({__name__=~"a|b"}[10s]))", 0, kMinute, kMinute);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error->kind == QueryErrorKind::Execution);
  CHECK(result.error->message == "vector cannot contain metrics with the same labelset");
}

TEST_CASE("engine: absent_over_time is 1 where no series has a point in its window") {
  QueryEngine engine(ten_second_store().head);
  CHECK(values_of(engine.instant_query("absent_over_time(metric[1m])", kMinute)).empty());
  const Vector absent = vector_of(engine.instant_query(
      R"(absent_over_time(nothing{job="x", instance=~"y", env="a", env="b"}[1m]))", kMinute));
  REQUIRE(absent.size() == 1);
  // Equality matchers give labels, unless their name is matched twice or otherwise.
  CHECK(absent[0].labels == Labels{{"job", "x"}});
  CHECK(absent[0].v == 1);
  // Of a subquery there are no matchers to take labels from.
  const Vector of_subquery =
      vector_of(engine.instant_query(R"(absent_over_time(nothing{job="x"}[1m:10s]))", kMinute));
  REQUIRE(of_subquery.size() == 1);
  CHECK(of_subquery[0].labels.empty());
  // Past the last sample (1000 s) plus the window, the series is absent.
  const Matrix steps = matrix_of(engine.range_query(R"(absent_over_time(metric{job="1"}[30s]))",
                                                    1000 * kSecond, 1040 * kSecond, 20 * kSecond));
  REQUIRE(steps.size() == 1);
  CHECK(steps[0].labels == Labels{{"job", "1"}});
  CHECK(steps[0].points == std::vector<Sample>{{1040 * kSecond, 1}});
}

TEST_CASE("engine: timestamp() of a selector reads the sample's time, of anything else the step") {
  QueryEngine engine(ten_second_store().head);
  CHECK(values_of(engine.instant_query("timestamp(metric)", 15 * kSecond)) ==
        std::vector<double>{10});
  CHECK(values_of(engine.instant_query("timestamp(((metric)))", 15 * kSecond)) ==
        std::vector<double>{10});
  CHECK(values_of(engine.instant_query("timestamp(metric @ 25)", 500 * kSecond)) ==
        std::vector<double>{20});
  CHECK(values_of(engine.instant_query("timestamp(-metric)", 15 * kSecond)) ==
        std::vector<double>{15});
}

TEST_CASE("engine: timestamp() of a selector with @ reads at the @ time, offset ignored, as 2.42") {
  QueryEngine engine(ten_second_store().head);
  CHECK(values_of(engine.instant_query("timestamp(metric @ 25 offset 10s)", 500 * kSecond)) ==
        std::vector<double>{20});
  // Without @ the offset counts.
  CHECK(values_of(engine.instant_query("timestamp(metric offset 10s)", 25 * kSecond)) ==
        std::vector<double>{10});
}

TEST_CASE("engine: predict_linear's window pinned by @ moves on with the steps, as 2.42") {
  EngineTestStore store;
  store.add(kMetric,
            {{40 * kSecond, 0}, {50 * kSecond, 0}, {60 * kSecond, 100}, {70 * kSecond, 100}});
  QueryEngine engine(store.head);
  CHECK(values_of(engine.instant_query("predict_linear(metric[10s] @ 50, 0)", 1000 * kSecond)) ==
        std::vector<double>{0});
  for (const char* query :
       {"predict_linear(metric[10s] @ 50, 0)", "predict_linear(metric[10s:10s] @ 50, 0)"}) {
    INFO(query);
    const Matrix slid = matrix_of(engine.range_query(query, 0, 20 * kSecond, 10 * kSecond));
    REQUIRE(slid.size() == 1);
    REQUIRE(slid[0].points.size() == 3);
    // Windows [40 s, 50 s], [50 s, 60 s], [60 s, 70 s].
    CHECK(slid[0].points.front().v == 0);
    CHECK(slid[0].points.back().v == 100);
  }
}

TEST_CASE("engine: scalar functions give scalars") {
  QueryEngine engine(ten_second_store().head);
  CHECK(scalar_of(engine.instant_query("time()", 15 * kSecond)) == 15);
  CHECK(scalar_of(engine.instant_query("scalar(metric)", 15 * kSecond)) == 1);
  CHECK(values_of(engine.instant_query("metric + time()", 20 * kSecond)) ==
        std::vector<double>{22});
  const Matrix steps = matrix_of(engine.range_query("time()", 0, 20 * kSecond, 10 * kSecond));
  REQUIRE(steps.size() == 1);
  CHECK(steps[0].labels.empty());
  CHECK(steps[0].points == std::vector<Sample>{{0, 0}, {10 * kSecond, 10}, {20 * kSecond, 20}});
}

TEST_CASE("engine: aggregation parameters are evaluated at each step") {
  EngineTestStore store;
  for (int i = 0; i < 3; ++i) {
    store.add(Labels{{"__name__", "x"}, {"i", std::to_string(i)}}, {{0, double(i)}});
  }
  store.add(Labels{{"__name__", "k"}}, {{0, 1}, {kMinute, 2}});
  QueryEngine engine(store.head);
  const Matrix top = matrix_of(engine.range_query("topk(scalar(k), x)", 0, kMinute, kMinute));
  REQUIRE(top.size() == 2);
  CHECK(top[0].labels.get("i") == "1");
  CHECK(top[0].points == std::vector<Sample>{{kMinute, 1}});
  CHECK(top[1].labels.get("i") == "2");
  CHECK(top[1].points == std::vector<Sample>{{0, 2}, {kMinute, 2}});
  const Vector counted = vector_of(engine.instant_query(R"(count_values("v", x))", 0));
  CHECK(counted.size() == 3);
}

TEST_CASE("engine: a step-invariant expression has its one value at every step of a range query") {
  QueryEngine engine(ten_second_store().head);
  const Matrix pinned = matrix_of(
      engine.range_query("sum_over_time(metric[20s] @ 50) + 1", 0, 1000 * kSecond, 100 * kSecond));
  REQUIRE(pinned.size() == 1);
  CHECK(pinned[0].labels == Labels{{"job", "1"}});
  REQUIRE(pinned[0].points.size() == 11);
  for (const Sample& point : pinned[0].points) CHECK(point.v == 13);
  CHECK(pinned[0].points.back().t_ms == 1000 * kSecond);
  // time() is not invariant: each step its own time.
  const Matrix timed =
      matrix_of(engine.range_query("metric @ 50 + time()", 0, 20 * kSecond, 10 * kSecond));
  REQUIRE(timed.size() == 1);
  CHECK(timed[0].points == std::vector<Sample>{{0, 5}, {10 * kSecond, 15}, {20 * kSecond, 25}});
  // A subquery pinned by @ inside one that is not.
  const Matrix nested =
      matrix_of(engine.range_query("max_over_time(sum_over_time(metric[20s:10s] @ 50)[30s:10s])", 0,
                                   20 * kSecond, 10 * kSecond));
  REQUIRE(nested.size() == 1);
  CHECK(nested[0].points == std::vector<Sample>{{0, 12}, {10 * kSecond, 12}, {20 * kSecond, 12}});
}

TEST_CASE("engine: step invariance follows Prometheus's rules") {
  const auto invariant = [](std::string_view query) {
    Result<ExprPtr> parsed = parse_expr(query);
    REQUIRE(parsed.is_ok());
    return is_step_invariant(**parsed);
  };
  CHECK(invariant("1 + 2"));
  CHECK(invariant("x @ 10"));
  CHECK(invariant("rate(x[5m] @ end())"));
  CHECK(invariant("sum by (a) (x @ start()) / 2"));
  CHECK(invariant("x[5m:1m] @ 100"));
  CHECK_FALSE(invariant("x"));
  CHECK_FALSE(invariant("x @ 10 + y"));
  CHECK_FALSE(invariant("time()"));
  CHECK_FALSE(invariant("minute(x @ 10)"));
  CHECK_FALSE(invariant("timestamp(x @ 10)"));
  CHECK_FALSE(invariant("predict_linear(x[5m] @ 10, 60)"));
  CHECK_FALSE(invariant("sum_over_time(x[5m:1m])"));
}

}  // namespace
}  // namespace mc::query
