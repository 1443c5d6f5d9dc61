// QueryEngine's answers and errors: the types of instant results, range
// results sorted with empty series dropped, scalars as unlabelled series,
// parse errors and types a range query refuses, unary minus.
#include <catch2/catch.hpp>
#include <cmath>

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

TEST_CASE("engine: instant queries answer in the expression's type") {
  EngineTestStore store;
  QueryEngine engine(store.head);
  CHECK(scalar_of(engine.instant_query("1 + 2 * 3", 0)) == 7);
  CHECK(std::isnan(scalar_of(engine.instant_query("NaN", 0))));
  const QueryResult text = engine.instant_query(R"(("hello"))", 42);
  REQUIRE(text.ok());
  REQUIRE(std::holds_alternative<StringValue>(text.value));
  CHECK(std::get<StringValue>(text.value).v == "hello");
  CHECK(std::get<StringValue>(text.value).t_ms == 42);
  CHECK(std::get<ScalarValue>(engine.instant_query("-1", 5).value).t_ms == 5);
  CHECK(vector_of(engine.instant_query("nothing", 0)).empty());
  CHECK(matrix_of(engine.instant_query("nothing[5m]", 0)).empty());
  const Vector made = vector_of(engine.instant_query("vector(2)", 9));
  REQUIRE(made.size() == 1);
  CHECK(made[0].labels.empty());
  CHECK(made[0].t_ms == 9);
}

TEST_CASE("engine: a parse error is bad data with Prometheus's position") {
  EngineTestStore store;
  QueryEngine engine(store.head);
  const QueryResult result = engine.instant_query("sum(foo", 0);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error->kind == QueryErrorKind::BadData);
  CHECK(result.error->message.rfind("1:8: parse error: ", 0) == 0);
  const QueryResult ranged = engine.range_query("rate(foo)", 0, 10, 1);
  REQUIRE_FALSE(ranged.ok());
  CHECK(ranged.error->kind == QueryErrorKind::BadData);
}

TEST_CASE("engine: a range query refuses range vectors and strings") {
  EngineTestStore store;
  QueryEngine engine(store.head);
  const QueryResult matrix = engine.range_query("foo[5m]", 0, kMinute, kSecond);
  REQUIRE_FALSE(matrix.ok());
  CHECK(matrix.error->kind == QueryErrorKind::BadData);
  CHECK(matrix.error->message ==
        "invalid expression type \"range vector\" for range query, must be Scalar or instant "
        "Vector");
  const QueryResult text = engine.range_query(R"("a")", 0, kMinute, kSecond);
  REQUIRE_FALSE(text.ok());
  CHECK(text.error->message ==
        "invalid expression type \"string\" for range query, must be Scalar or instant Vector");
}

TEST_CASE("engine: range results are sorted by labels, series without points dropped") {
  EngineTestStore store;
  store.add(Labels{{"__name__", "m"}, {"i", "b"}}, {{0, 1}});
  store.add(Labels{{"__name__", "m"}, {"i", "a"}}, {{0, 2}, {10 * kMinute, 3}});
  store.add(Labels{{"__name__", "m"}, {"i", "c"}}, {{20 * kMinute, 4}});
  QueryEngine engine(store.head);
  const Matrix matrix = matrix_of(engine.range_query("m", 0, 10 * kMinute, 5 * kMinute));
  REQUIRE(matrix.size() == 2);
  CHECK(matrix[0].labels.get("i") == "a");
  CHECK(matrix[0].points == std::vector<Sample>{{0, 2}, {5 * kMinute, 2}, {10 * kMinute, 3}});
  CHECK(matrix[1].labels.get("i") == "b");
  CHECK(matrix[1].points == std::vector<Sample>{{0, 1}, {5 * kMinute, 1}});
}

TEST_CASE("engine: a scalar range query is one series without labels") {
  EngineTestStore store;
  QueryEngine engine(store.head);
  const Matrix matrix = matrix_of(engine.range_query("2 ^ 3", 0, 2 * kSecond, kSecond));
  REQUIRE(matrix.size() == 1);
  CHECK(matrix[0].labels.empty());
  CHECK(matrix[0].points == std::vector<Sample>{{0, 8}, {kSecond, 8}, {2 * kSecond, 8}});
}

TEST_CASE("engine: unary minus negates and drops the metric name, collisions fail") {
  EngineTestStore store;
  store.add(Labels{{"__name__", "a"}, {"job", "1"}}, {{0, 1}});
  store.add(Labels{{"__name__", "b"}, {"job", "2"}}, {{0, 2}});
  store.add(Labels{{"__name__", "c"}, {"job", "2"}}, {{0, 3}});
  QueryEngine engine(store.head);
  const Vector negated = vector_of(engine.instant_query("-a", 0));
  REQUIRE(negated.size() == 1);
  CHECK(negated[0].labels == Labels{{"job", "1"}});
  CHECK(negated[0].v == -1);
  CHECK(values_of(engine.instant_query("+a", 0)) == std::vector<double>{1});
  const QueryResult collided = engine.instant_query(R"(-{__name__=~"b|c"})", 0);
  REQUIRE_FALSE(collided.ok());
  CHECK(collided.error->kind == QueryErrorKind::Execution);
  CHECK(collided.error->message == "vector cannot contain metrics with the same labelset");
}

TEST_CASE("engine: an operation's duplicate output at one step fails the query") {
  EngineTestStore store;
  store.add(Labels{{"__name__", "b"}, {"job", "2"}}, {{0, 2}});
  store.add(Labels{{"__name__", "c"}, {"job", "2"}}, {{0, 3}});
  QueryEngine engine(store.head);
  const QueryResult result = engine.range_query(R"({__name__=~"b|c"} * 2)", 0, kMinute, kMinute);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error->message == "vector cannot contain metrics with the same labelset");
  // Comparisons keep the name, so nothing collides.
  CHECK(vector_of(engine.instant_query(R"({__name__=~"b|c"} > 1)", 0)).size() == 2);
}

TEST_CASE("engine: operators between vectors and scalars step through time") {
  EngineTestStore store;
  store.add(Labels{{"__name__", "x"}, {"job", "1"}}, {{0, 1}, {kMinute, 2}});
  store.add(Labels{{"__name__", "y"}, {"job", "1"}}, {{0, 10}, {kMinute, 20}});
  QueryEngine engine(store.head);
  const Matrix sum = matrix_of(engine.range_query("x + y", 0, kMinute, kMinute));
  REQUIRE(sum.size() == 1);
  CHECK(sum[0].labels == Labels{{"job", "1"}});
  CHECK(sum[0].points == std::vector<Sample>{{0, 11}, {kMinute, 22}});
  const Matrix scaled = matrix_of(engine.range_query("10 - x", 0, kMinute, kMinute));
  REQUIRE(scaled.size() == 1);
  CHECK(scaled[0].points == std::vector<Sample>{{0, 9}, {kMinute, 8}});
  CHECK(values_of(engine.instant_query("sum(x) by (job)", kMinute)) == std::vector<double>{2});
}

TEST_CASE("engine: the deepest query the parser accepts evaluates") {
  EngineTestStore store;
  store.add(Labels{{"__name__", "x"}}, {{0, 1}});
  QueryEngine engine(store.head);
  // A left-deep chain of additions close to the parser's height bound; not
  // step-invariant, so every level is walked at every step.
  std::string query = "x";
  for (int i = 0; i < 990; ++i) query += " + 1";
  const Matrix summed = matrix_of(engine.range_query(query, 0, 2 * kMinute, kMinute));
  REQUIRE(summed.size() == 1);
  CHECK(summed[0].points == std::vector<Sample>{{0, 991}, {kMinute, 991}, {2 * kMinute, 991}});
  std::string nested = "x";
  for (int i = 0; i < 400; ++i) nested = "-(" + nested + ")";
  CHECK(values_of(engine.instant_query(nested, 0)) == std::vector<double>{1});
}

}  // namespace
}  // namespace mc::query
