// aggregate(): every aggregation operator with by/without, the group order
// and labels, and 2.42's numerics (incremental mean, running variance, NaN in
// min/max/topk), each expectation worked out by hand.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "common/query/operators.hpp"
#include "operator_test_vectors.hpp"

namespace mc::query {
namespace {

using testing::parsed;
using testing::sample;
using testing::text;

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::nan("");

// The query's aggregation over input; its parameter, if any, given as param.
std::string evaluate(std::string_view query, const Vector& input, const Value* param = nullptr) {
  const ExprPtr expr = parsed(query);
  const auto* aggregation = expr->as<AggregateExpr>();
  REQUIRE(aggregation != nullptr);
  Result<Vector> result = aggregate(*aggregation, input, param);
  if (!result.is_ok()) return "error: " + result.error();
  return text(*result);
}

std::string evaluate_with(std::string_view query, const Vector& input, double param) {
  const Value value = ScalarValue{0, param};
  return evaluate(query, input, &value);
}

std::string evaluate_with(std::string_view query, const Vector& input, std::string param) {
  const Value value = StringValue{0, std::move(param)};
  return evaluate(query, input, &value);
}

const Vector kRequests = {
    sample({{"__name__", "requests"}, {"job", "api"}, {"instance", "0"}, {"group", "canary"}}, 10),
    sample({{"__name__", "requests"}, {"job", "db"}, {"instance", "0"}, {"group", "prod"}}, 30),
    sample({{"__name__", "requests"}, {"job", "api"}, {"instance", "1"}, {"group", "prod"}}, 20),
    sample({{"__name__", "requests"}, {"job", "db"}, {"instance", "1"}, {"group", "prod"}}, 40),
};

TEST_CASE("sum groups by the named labels, in the order each group first appears") {
  CHECK(evaluate("sum(x)", kRequests) == R"({} 100)");
  CHECK(evaluate("sum by (job) (x)", kRequests) == R"({job="api"} 30, {job="db"} 70)");
  CHECK(
      evaluate("sum by (group, job) (x)", kRequests) ==
      R"({group="canary", job="api"} 10, {group="prod", job="db"} 70, {group="prod", job="api"} 20)");
  // A label no series has makes one group with no labels.
  CHECK(evaluate("sum by (zone) (x)", kRequests) == R"({} 100)");
  // by(__name__) keeps the name.
  CHECK(evaluate("sum by (__name__) (x)", kRequests) == R"({__name__="requests"} 100)");
}

TEST_CASE("without groups by every other label and always drops the name") {
  CHECK(
      evaluate("sum without (instance) (x)", kRequests) ==
      R"({group="canary", job="api"} 10, {group="prod", job="db"} 70, {group="prod", job="api"} 20)");
  CHECK(evaluate("sum without (instance, group) (x)", kRequests) ==
        R"({job="api"} 30, {job="db"} 70)");
  CHECK(evaluate("max without () (x)", {kRequests[0]}) ==
        R"({group="canary", instance="0", job="api"} 10)");
}

TEST_CASE("an empty input gives no groups") {
  CHECK(evaluate("sum(x)", {}).empty());
  CHECK(evaluate("count by (job) (x)", {}).empty());
  CHECK(evaluate_with("topk(2, x)", {}, 2).empty());
}

TEST_CASE("avg, count, group, min, max") {
  CHECK(evaluate("avg by (job) (x)", kRequests) == R"({job="api"} 15, {job="db"} 35)");
  CHECK(evaluate("count by (job) (x)", kRequests) == R"({job="api"} 2, {job="db"} 2)");
  CHECK(evaluate("count(x)", kRequests) == R"({} 4)");
  CHECK(evaluate("group by (group) (x)", kRequests) == R"({group="canary"} 1, {group="prod"} 1)");
  CHECK(evaluate("min by (job) (x)", kRequests) == R"({job="api"} 10, {job="db"} 30)");
  CHECK(evaluate("max by (job) (x)", kRequests) == R"({job="api"} 20, {job="db"} 40)");
}

TEST_CASE("avg keeps a running mean, which does not overflow where the sum would") {
  const double max = std::numeric_limits<double>::max();
  const Vector huge = {sample({{"i", "0"}}, max), sample({{"i", "1"}}, max),
                       sample({{"i", "2"}}, max)};
  CHECK(evaluate("sum(x)", huge) == R"({} +Inf)");
  CHECK(evaluate("avg(x)", huge) == R"({} 1.7976931348623157e+308)");
  // 1, 2, 4: 1; 1 + (2/2 - 1/2) = 1.5; 1.5 + (4/3 - 1.5/3) = 1.5 + 0.8333333333333333,
  // which rounds one bit below the 2.3333333333333335 that 7/3 gives.
  CHECK(evaluate("avg(x)", {sample({{"i", "0"}}, 1), sample({{"i", "1"}}, 2),
                            sample({{"i", "2"}}, 4)}) == R"({} 2.333333333333333)");
}

TEST_CASE("avg keeps an infinite mean against finite values and same-signed infinities") {
  CHECK(evaluate("avg(x)", {sample({{"i", "0"}}, kInf), sample({{"i", "1"}}, 5)}) == R"({} +Inf)");
  CHECK(evaluate("avg(x)", {sample({{"i", "0"}}, 5), sample({{"i", "1"}}, -kInf)}) == R"({} -Inf)");
  CHECK(evaluate("avg(x)", {sample({{"i", "0"}}, kInf), sample({{"i", "1"}}, kInf)}) ==
        R"({} +Inf)");
  CHECK(evaluate("avg(x)", {sample({{"i", "0"}}, kInf), sample({{"i", "1"}}, -kInf)}) ==
        R"({} NaN)");
  CHECK(evaluate("avg(x)", {sample({{"i", "0"}}, kInf), sample({{"i", "1"}}, kNaN)}) ==
        R"({} NaN)");
}

TEST_CASE("min and max pass over NaN unless every value is NaN") {
  const Vector nan_first = {sample({{"i", "0"}}, kNaN), sample({{"i", "1"}}, 3),
                            sample({{"i", "2"}}, 1)};
  CHECK(evaluate("max(x)", nan_first) == R"({} 3)");
  CHECK(evaluate("min(x)", nan_first) == R"({} 1)");
  const Vector nan_last = {sample({{"i", "0"}}, 3), sample({{"i", "1"}}, kNaN)};
  CHECK(evaluate("max(x)", nan_last) == R"({} 3)");
  CHECK(evaluate("min(x)", nan_last) == R"({} 3)");
  CHECK(evaluate("max(x)", {sample({{"i", "0"}}, kNaN), sample({{"i", "1"}}, kNaN)}) ==
        R"({} NaN)");
  // sum and avg take NaN in.
  CHECK(evaluate("sum(x)", nan_first) == R"({} NaN)");
}

TEST_CASE("stddev and stdvar are the population variance, by the running (Welford) update") {
  const Vector values = {
      sample({{"i", "0"}}, 2), sample({{"i", "1"}}, 4), sample({{"i", "2"}}, 4),
      sample({{"i", "3"}}, 4), sample({{"i", "4"}}, 5), sample({{"i", "5"}}, 5),
      sample({{"i", "6"}}, 7), sample({{"i", "7"}}, 9),
  };
  CHECK(evaluate("stdvar(x)", values) == R"({} 4)");
  CHECK(evaluate("stddev(x)", values) == R"({} 2)");
  CHECK(evaluate("stddev by (job) (x)", kRequests) == R"({job="api"} 5, {job="db"} 5)");
  CHECK(evaluate("stdvar(x)", {sample({}, 42)}) == R"({} 0)");
}

TEST_CASE("topk and bottomk keep the input samples, name included, largest or smallest first") {
  CHECK(
      evaluate_with("topk(2, x)", kRequests, 2) ==
      R"({__name__="requests", group="prod", instance="1", job="db"} 40, {__name__="requests", group="prod", instance="0", job="db"} 30)");
  CHECK(
      evaluate_with("bottomk(2, x)", kRequests, 2) ==
      R"({__name__="requests", group="canary", instance="0", job="api"} 10, {__name__="requests", group="prod", instance="1", job="api"} 20)");
  // Per group, groups in order of first appearance.
  CHECK(
      evaluate_with("topk by (job) (1, x)", kRequests, 1) ==
      R"({__name__="requests", group="prod", instance="1", job="api"} 20, {__name__="requests", group="prod", instance="1", job="db"} 40)");
  // k beyond the group's size keeps all; a fractional k is truncated.
  CHECK(
      evaluate_with("bottomk by (job) (10, x)", kRequests, 10) ==
      R"({__name__="requests", group="canary", instance="0", job="api"} 10, {__name__="requests", group="prod", instance="1", job="api"} 20, {__name__="requests", group="prod", instance="0", job="db"} 30, {__name__="requests", group="prod", instance="1", job="db"} 40)");
  CHECK(evaluate_with("topk(1.9, x)", kRequests, 1.9) ==
        R"({__name__="requests", group="prod", instance="1", job="db"} 40)");
}

TEST_CASE("topk with k below 1 is empty; a k beyond int64 is an error") {
  CHECK(evaluate_with("topk(0, x)", kRequests, 0).empty());
  CHECK(evaluate_with("topk(0.5, x)", kRequests, 0.5).empty());
  CHECK(evaluate_with("bottomk(-3, x)", kRequests, -3).empty());
  CHECK(evaluate_with("topk(1e19, x)", kRequests, 1e19) ==
        "error: Scalar value 1e+19 overflows int64");
  CHECK(evaluate_with("topk(NaN, x)", kRequests, kNaN) ==
        "error: Scalar value NaN overflows int64");
  CHECK(evaluate_with("bottomk(-Inf, x)", kRequests, -kInf) ==
        "error: Scalar value -Inf overflows int64");
}

TEST_CASE("topk and bottomk rank NaN last, and keep ties in arrival order") {
  const Vector with_nan = {sample({{"i", "0"}}, kNaN), sample({{"i", "1"}}, 1),
                           sample({{"i", "2"}}, 2)};
  CHECK(evaluate_with("topk(3, x)", with_nan, 3) == R"({i="2"} 2, {i="1"} 1, {i="0"} NaN)");
  CHECK(evaluate_with("bottomk(3, x)", with_nan, 3) == R"({i="1"} 1, {i="2"} 2, {i="0"} NaN)");
  // A NaN at the heap's root is the first to give way.
  CHECK(evaluate_with("topk(2, x)", with_nan, 2) == R"({i="2"} 2, {i="1"} 1)");
  CHECK(evaluate_with("topk(1, x)", with_nan, 1) == R"({i="2"} 2)");
  CHECK(evaluate_with("bottomk(1, x)", with_nan, 1) == R"({i="1"} 1)");
  const Vector ties = {sample({{"i", "a"}}, 1), sample({{"i", "b"}}, 1), sample({{"i", "c"}}, 1)};
  CHECK(evaluate_with("topk(2, x)", ties, 2) == R"({i="a"} 1, {i="b"} 1)");
  CHECK(evaluate_with("bottomk(2, x)", ties, 2) == R"({i="a"} 1, {i="b"} 1)");
}

TEST_CASE("topk replaces the smallest kept sample as larger ones come") {
  const Vector rising = {sample({{"i", "0"}}, 5), sample({{"i", "1"}}, 1), sample({{"i", "2"}}, 7),
                         sample({{"i", "3"}}, 3), sample({{"i", "4"}}, 6)};
  CHECK(evaluate_with("topk(3, x)", rising, 3) == R"({i="2"} 7, {i="4"} 6, {i="0"} 5)");
  CHECK(evaluate_with("bottomk(3, x)", rising, 3) == R"({i="1"} 1, {i="3"} 3, {i="0"} 5)");
}

TEST_CASE("quantile interpolates between ranks; outside [0, 1] it is infinite") {
  CHECK(evaluate_with("quantile(0.5, x)", kRequests, 0.5) == R"({} 25)");
  CHECK(evaluate_with("quantile(0, x)", kRequests, 0) == R"({} 10)");
  CHECK(evaluate_with("quantile(1, x)", kRequests, 1) == R"({} 40)");
  // rank 0.9 * 3 = 2.7: 30 * 0.3 + 40 * 0.7.
  CHECK(evaluate_with("quantile(0.9, x)", kRequests, 0.9) == R"({} 37)");
  CHECK(evaluate_with("quantile by (job) (0.5, x)", kRequests, 0.5) ==
        R"({job="api"} 15, {job="db"} 35)");
  CHECK(evaluate_with("quantile(-0.1, x)", kRequests, -0.1) == R"({} -Inf)");
  CHECK(evaluate_with("quantile(1.1, x)", kRequests, 1.1) == R"({} +Inf)");
  CHECK(evaluate_with("quantile(NaN, x)", kRequests, kNaN) == R"({} NaN)");
  // NaN sorts lowest.
  const Vector with_nan = {sample({{"i", "0"}}, 2), sample({{"i", "1"}}, kNaN),
                           sample({{"i", "2"}}, 1)};
  CHECK(evaluate_with("quantile(0, x)", with_nan, 0) == R"({} NaN)");
  CHECK(evaluate_with("quantile(0.5, x)", with_nan, 0.5) == R"({} 1)");
  CHECK(evaluate_with("quantile(1, x)", with_nan, 1) == R"({} 2)");
}

TEST_CASE("count_values counts each value under the new label, grouped as asked") {
  const Vector versions = {
      sample({{"__name__", "build"}, {"job", "api"}, {"instance", "0"}}, 1),
      sample({{"__name__", "build"}, {"job", "api"}, {"instance", "1"}}, 2),
      sample({{"__name__", "build"}, {"job", "db"}, {"instance", "0"}}, 1),
      sample({{"__name__", "build"}, {"job", "db"}, {"instance", "1"}}, 0.5),
  };
  CHECK(evaluate_with("count_values(\"version\", x)", versions, "version") ==
        R"({version="1"} 2, {version="2"} 1, {version="0.5"} 1)");
  CHECK(
      evaluate_with("count_values by (job) (\"version\", x)", versions, "version") ==
      R"({job="api", version="1"} 1, {job="api", version="2"} 1, {job="db", version="1"} 1, {job="db", version="0.5"} 1)");
  CHECK(
      evaluate_with("count_values without (instance) (\"version\", x)", versions, "version") ==
      R"({job="api", version="1"} 1, {job="api", version="2"} 1, {job="db", version="1"} 1, {job="db", version="0.5"} 1)");
  // The new label replaces one of the same name.
  CHECK(evaluate_with("count_values(\"job\", x)", versions, "job") ==
        R"({job="1"} 2, {job="2"} 1, {job="0.5"} 1)");
}

TEST_CASE("count_values writes values as Go's FormatFloat 'f' does: no exponent") {
  const Vector values = {sample({{"i", "0"}}, 1e21),  sample({{"i", "1"}}, 1e-7),
                         sample({{"i", "2"}}, -kInf), sample({{"i", "3"}}, kNaN),
                         sample({{"i", "4"}}, -0.0),  sample({{"i", "5"}}, 123456789.125)};
  CHECK(
      evaluate_with("count_values(\"v\", x)", values, "v") ==
      R"({v="1000000000000000000000"} 1, {v="0.0000001"} 1, {v="-Inf"} 1, {v="NaN"} 1, {v="-0"} 1, {v="123456789.125"} 1)");
}

TEST_CASE("count_values refuses a label name that is not one") {
  CHECK(evaluate_with("count_values(\"1a\", x)", kRequests, "1a") ==
        R"(error: invalid label name "1a")");
  CHECK(evaluate_with("count_values(\"a-b\", x)", kRequests, "a-b") ==
        R"(error: invalid label name "a-b")");
  CHECK(evaluate_with("count_values(\"\", x)", kRequests, "") == R"(error: invalid label name "")");
  CHECK(evaluate_with("count_values(\"\\n\", x)", kRequests, "\n") ==
        R"(error: invalid label name "\n")");
}

TEST_CASE("a missing or mistyped parameter is an error, not a crash") {
  const ExprPtr topk = parsed("topk(2, x)");
  Result<Vector> result = aggregate(*topk->as<AggregateExpr>(), kRequests, nullptr);
  REQUIRE_FALSE(result.is_ok());
  CHECK(result.error() == "expected a scalar parameter for the aggregation");
  const ExprPtr count_values = parsed("count_values(\"v\", x)");
  const Value scalar = ScalarValue{0, 1};
  result = aggregate(*count_values->as<AggregateExpr>(), kRequests, &scalar);
  REQUIRE_FALSE(result.is_ok());
  CHECK(result.error() == "expected a string parameter for count_values");
}

}  // namespace
}  // namespace mc::query
