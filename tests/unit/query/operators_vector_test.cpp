// vector_binary_operation: arithmetic, comparisons and set operators between
// two instant vectors, with the default matching (all labels but __name__)
// and on/ignoring; every expectation worked out by hand from 2.42's rules.
#include <catch2/catch.hpp>
#include <string>

#include "common/query/operators.hpp"
#include "operator_test_vectors.hpp"

namespace mc::query {
namespace {

using testing::parsed;
using testing::sample;
using testing::text;

std::string evaluate(std::string_view query, const Vector& lhs, const Vector& rhs) {
  const ExprPtr expr = parsed(query);
  const auto* binary = expr->as<BinaryExpr>();
  REQUIRE(binary != nullptr);
  Result<Vector> result = vector_binary_operation(*binary, lhs, rhs);
  if (!result.is_ok()) return "error: " + result.error();
  return text(*result);
}

const Vector kRequests = {
    sample({{"__name__", "requests"}, {"job", "api"}, {"instance", "0"}}, 100),
    sample({{"__name__", "requests"}, {"job", "api"}, {"instance", "1"}}, 200),
    sample({{"__name__", "requests"}, {"job", "db"}, {"instance", "0"}}, 300),
};
const Vector kErrors = {
    sample({{"__name__", "errors"}, {"job", "db"}, {"instance", "0"}}, 7),
    sample({{"__name__", "errors"}, {"job", "api"}, {"instance", "0"}}, 30),
};

TEST_CASE("arithmetic between vectors matches on all labels but __name__ and drops the name") {
  CHECK(evaluate("a + b", kRequests, kErrors) ==
        R"({instance="0", job="api"} 130, {instance="0", job="db"} 307)");
  CHECK(evaluate("a - b", kRequests, kErrors) ==
        R"({instance="0", job="api"} 70, {instance="0", job="db"} 293)");
  CHECK(evaluate("a * b", kRequests, kErrors) ==
        R"({instance="0", job="api"} 3000, {instance="0", job="db"} 2100)");
  CHECK(evaluate("a / b", kErrors, kRequests) ==
        R"({instance="0", job="db"} 0.023333333333333334, {instance="0", job="api"} 0.3)");
  // Go's math.Mod: the sign of the dividend.
  CHECK(evaluate("a % b", kRequests, kErrors) ==
        R"({instance="0", job="api"} 10, {instance="0", job="db"} 6)");
  const Vector bases = {sample({{"__name__", "x"}, {"k", "1"}}, 2),
                        sample({{"__name__", "x"}, {"k", "2"}}, -8)};
  const Vector exponents = {sample({{"__name__", "y"}, {"k", "1"}}, 10),
                            sample({{"__name__", "y"}, {"k", "2"}}, 1.0 / 3)};
  CHECK(evaluate("a ^ b", bases, exponents) == R"({k="1"} 1024, {k="2"} NaN)");
}

TEST_CASE("atan2 between vectors keeps the metric name, as 2.42 does") {
  const Vector y = {sample({{"__name__", "trigy"}}, 10)};
  const Vector x = {sample({{"__name__", "trigx"}}, 20)};
  CHECK(evaluate("a atan2 b", y, x) == R"({__name__="trigy"} 0.4636476090008061)");
}

TEST_CASE("a vector comparison filters, keeping the left value and the left name") {
  CHECK(
      evaluate("a > b", kRequests, kErrors) ==
      R"({__name__="requests", instance="0", job="api"} 100, {__name__="requests", instance="0", job="db"} 300)");
  CHECK(evaluate("a < b", kRequests, kErrors).empty());
  CHECK(
      evaluate("a == b", kRequests, kRequests) ==
      R"({__name__="requests", instance="0", job="api"} 100, {__name__="requests", instance="1", job="api"} 200, {__name__="requests", instance="0", job="db"} 300)");
  CHECK(evaluate("a != b", kRequests, kRequests).empty());
  CHECK(
      evaluate("a >= b", kErrors, kErrors) ==
      R"({__name__="errors", instance="0", job="db"} 7, {__name__="errors", instance="0", job="api"} 30)");
  CHECK(
      evaluate("a <= b", kErrors, kRequests) ==
      R"({__name__="errors", instance="0", job="db"} 7, {__name__="errors", instance="0", job="api"} 30)");
}

TEST_CASE("a bool comparison gives 0 or 1 for every matched pair and drops the name") {
  CHECK(evaluate("a > bool b", kRequests, kErrors) ==
        R"({instance="0", job="api"} 1, {instance="0", job="db"} 1)");
  CHECK(evaluate("a < bool b", kRequests, kErrors) ==
        R"({instance="0", job="api"} 0, {instance="0", job="db"} 0)");
  // NaN compares false to everything, itself included.
  const Vector nan = {sample({{"__name__", "n"}}, std::nan(""))};
  CHECK(evaluate("a == bool b", nan, nan) == R"({} 0)");
  CHECK(evaluate("a != bool b", nan, nan) == R"({} 1)");
}

TEST_CASE("on() matches on its labels only and keeps only them in a one-to-one result") {
  const Vector per_job = {sample({{"__name__", "limit"}, {"job", "db"}, {"tier", "x"}}, 1000),
                          sample({{"__name__", "limit"}, {"job", "web"}, {"tier", "y"}}, 5)};
  const Vector db_only = {kRequests[2]};
  CHECK(evaluate("a / on(job) b", db_only, per_job) == R"({job="db"} 0.3)");
  // A comparison keeps the left value; on() still narrows the labels, the name too.
  CHECK(evaluate("a < on(job) b", db_only, per_job) == R"({job="db"} 300)");
  // on(__name__, ...) keeps the name of a comparison's left side.
  CHECK(evaluate("a <= on(__name__) b", {kErrors[0]}, {kErrors[1]}) == R"({__name__="errors"} 7)");
  // Two api series on the left match the one api limit: one-to-one refuses.
  const Vector api_limit = {sample({{"__name__", "limit"}, {"job", "api"}}, 1)};
  CHECK(evaluate("a / on(job) b", kRequests, api_limit) ==
        "error: multiple matches for labels: many-to-one matching must be explicit "
        "(group_left/group_right)");
}

TEST_CASE("ignoring() matches on all other labels and removes its own from the result") {
  const Vector by_code = {
      sample({{"__name__", "errors"}, {"job", "db"}, {"instance", "0"}, {"code", "500"}}, 3),
      sample({{"__name__", "errors"}, {"job", "db"}, {"instance", "1"}, {"code", "500"}}, 4)};
  CHECK(evaluate("a / ignoring(code) b", by_code, kRequests) == R"({instance="0", job="db"} 0.01)");
  // A comparison keeps the name (ignoring never removes it from the result).
  CHECK(evaluate("a < ignoring(code) b", by_code, kRequests) ==
        R"({__name__="errors", instance="0", job="db"} 3)");
}

TEST_CASE(
    "a duplicate on the one side is a many-to-many error naming the match group and both series") {
  const Vector api_limit = {sample({{"__name__", "limit"}, {"job", "api"}}, 1)};
  CHECK(evaluate("a / on(job) b", api_limit, kRequests) ==
        "error: found duplicate series for the match group {job=\"api\"} on the right hand-side "
        "of the operation: [{__name__=\"requests\", instance=\"1\", job=\"api\"}, "
        "{__name__=\"requests\", instance=\"0\", job=\"api\"}];many-to-many matching not "
        "allowed: matching labels must be unique on one side");
  // ignoring(): the match group is every label but the ignored ones and __name__.
  CHECK(evaluate("a / ignoring(instance) b", api_limit, kRequests) ==
        "error: found duplicate series for the match group {job=\"api\"} on the right hand-side "
        "of the operation: [{__name__=\"requests\", instance=\"1\", job=\"api\"}, "
        "{__name__=\"requests\", instance=\"0\", job=\"api\"}];many-to-many matching not "
        "allowed: matching labels must be unique on one side");
  // group_right: the left side is the one that must be unique.
  CHECK(evaluate("a / on(job) group_right b", kRequests, api_limit) ==
        "error: found duplicate series for the match group {job=\"api\"} on the left hand-side "
        "of the operation: [{__name__=\"requests\", instance=\"1\", job=\"api\"}, "
        "{__name__=\"requests\", instance=\"0\", job=\"api\"}];many-to-many matching not "
        "allowed: matching labels must be unique on one side");
}

TEST_CASE("matching past the few signatures searched in order: every pair, and the same errors") {
  // Over 8 samples a side the one side is hashed; the answers must not change.
  Vector left;
  Vector right;
  std::string expected;
  for (int i = 0; i < 20; ++i) {
    const std::string k = std::to_string(i);
    left.push_back(sample({{"__name__", "a"}, {"k", k}}, i));
    right.push_back(sample({{"__name__", "b"}, {"k", k}}, 100));
    expected += (i > 0 ? ", " : "") + std::string("{k=\"") + k + "\"} " + std::to_string(100 + i);
  }
  CHECK(evaluate("a + b", left, right) == expected);
  // A duplicate signature late on the one side.
  Vector duplicated = right;
  duplicated.push_back(sample({{"__name__", "c"}, {"k", "17"}}, 1));
  CHECK(evaluate("a + b", left, duplicated) ==
        "error: found duplicate series for the match group {k=\"17\"} on the right hand-side of "
        "the operation: [{__name__=\"c\", k=\"17\"}, {__name__=\"b\", k=\"17\"}];many-to-many "
        "matching not allowed: matching labels must be unique on one side");
  // Two samples of the many side meeting one entry: one-to-one refuses.
  Vector twice = left;
  twice.push_back(sample({{"__name__", "a"}, {"k", "17"}, {"x", "1"}}, 1));
  CHECK(evaluate("a + on(k) b", twice, right) ==
        "error: multiple matches for labels: many-to-one matching must be explicit "
        "(group_left/group_right)");
  CHECK(evaluate("a + on(k) group_left b", twice, right).starts_with("{k=\"0\"} 100"));
}

TEST_CASE("an empty side gives an empty result before any matching check") {
  const Vector api_limit = {sample({{"__name__", "limit"}, {"job", "api"}}, 1)};
  CHECK(evaluate("a + b", {}, kRequests).empty());
  CHECK(evaluate("a / on(job) b", {}, kRequests).empty());
  CHECK(evaluate("a / on(job) b", kRequests, {}).empty());
}

TEST_CASE("and keeps the left samples with a match on the right, labels and name untouched") {
  CHECK(
      evaluate("a and b", kRequests, kErrors) ==
      R"({__name__="requests", instance="0", job="api"} 100, {__name__="requests", instance="0", job="db"} 300)");
  CHECK(
      evaluate("a and on(job) b", kRequests, {kErrors[1]}) ==
      R"({__name__="requests", instance="0", job="api"} 100, {__name__="requests", instance="1", job="api"} 200)");
  CHECK(evaluate("a and ignoring(instance) b", kErrors, {kRequests[1]}) ==
        R"({__name__="errors", instance="0", job="api"} 30)");
  CHECK(evaluate("a and b", kRequests, {}).empty());
  CHECK(evaluate("a and b", {}, kRequests).empty());
}

TEST_CASE("or gives the left side, then the right samples whose signature the left lacks") {
  CHECK(
      evaluate("a or b", kErrors, kRequests) ==
      R"({__name__="errors", instance="0", job="db"} 7, {__name__="errors", instance="0", job="api"} 30, {__name__="requests", instance="1", job="api"} 200)");
  CHECK(
      evaluate("a or on(job) b", {kErrors[1]}, kRequests) ==
      R"({__name__="errors", instance="0", job="api"} 30, {__name__="requests", instance="0", job="db"} 300)");
  CHECK(evaluate("a or b", {}, kErrors) == text(kErrors));
  CHECK(evaluate("a or b", kErrors, {}) == text(kErrors));
}

TEST_CASE("unless keeps the left samples without a match on the right") {
  CHECK(evaluate("a unless b", kRequests, kErrors) ==
        R"({__name__="requests", instance="1", job="api"} 200)");
  CHECK(evaluate("a unless on(job) b", kRequests, {kErrors[1]}) ==
        R"({__name__="requests", instance="0", job="db"} 300)");
  CHECK(evaluate("a unless b", kRequests, {}) == text(kRequests));
  CHECK(evaluate("a unless b", {}, kRequests).empty());
}

TEST_CASE("set operators do not mind duplicates on either side") {
  const Vector api_limit = {sample({{"__name__", "limit"}, {"job", "api"}}, 1)};
  CHECK(evaluate("a and on(job) b", api_limit, kRequests) == R"({__name__="limit", job="api"} 1)");
  CHECK(evaluate("a unless on(job) b", api_limit, kRequests).empty());
}

TEST_CASE("a hand-built expression without matching is matched on all labels but __name__") {
  BinaryExpr expr;
  expr.op = TokenKind::Sub;
  Result<Vector> result = vector_binary_operation(expr, kRequests, kErrors);
  REQUIRE(result.is_ok());
  CHECK(text(*result) == R"({instance="0", job="api"} 70, {instance="0", job="db"} 293)");
  expr.op = TokenKind::Lunless;
  result = vector_binary_operation(expr, kRequests, kErrors);
  REQUIRE(result.is_ok());
  CHECK(text(*result) == R"({__name__="requests", instance="1", job="api"} 200)");
}

TEST_CASE("operators that are no binary operation between vectors are refused, not crashed on") {
  BinaryExpr expr;
  expr.op = TokenKind::Sum;
  Result<Vector> result = vector_binary_operation(expr, kRequests, kErrors);
  REQUIRE_FALSE(result.is_ok());
  CHECK(result.error() == "operator not allowed for operations between vectors");
  expr.op = TokenKind::Add;
  expr.matching = VectorMatching{Cardinality::ManyToMany, {}, false, {}};
  result = vector_binary_operation(expr, kRequests, kErrors);
  REQUIRE_FALSE(result.is_ok());
  CHECK(result.error() == "many-to-many only allowed for set operators");
}

}  // namespace
}  // namespace mc::query
