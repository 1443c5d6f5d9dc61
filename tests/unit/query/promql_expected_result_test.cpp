#include "tests/support/promql_expected_result.hpp"

#include <catch2/catch.hpp>
#include <limits>

namespace mc::test {
namespace {

using query::Matrix;
using query::ScalarValue;
using query::StringValue;
using query::Vector;

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

EvalCommand eval_of(std::string_view script_text) {
  auto script = parse_promql_test_script(script_text, "t.test");
  REQUIRE(script.is_ok());
  return std::get<EvalCommand>(script->commands.at(0));
}

Labels series(std::string name, std::string instance) {
  return Labels({{"__name__", std::move(name)}, {"instance", std::move(instance)}});
}

TEST_CASE("values are equal within test.go's relative tolerance", "[promql_expected_result]") {
  CHECK(almost_equal(1, 1));
  CHECK(almost_equal(1, 1 + 1e-7));
  CHECK_FALSE(almost_equal(1, 1 + 1e-5));
  CHECK(almost_equal(1e20, 1e20 * (1 + 1e-7)));
  CHECK_FALSE(almost_equal(0, 1e-300));  // near zero the tolerance is absolute and tiny
  CHECK(almost_equal(0, -0.0));
  CHECK(almost_equal(kNaN, kNaN));
  CHECK(almost_equal(kNaN, stale_nan()));  // any NaN equals any NaN
  CHECK_FALSE(almost_equal(kNaN, 1));
  CHECK_FALSE(almost_equal(1, kNaN));
  CHECK(almost_equal(kInf, kInf));
  CHECK_FALSE(almost_equal(kInf, -kInf));
  CHECK_FALSE(almost_equal(kInf, 1e308));
}

TEST_CASE("a vector must hold exactly the expected series and values", "[promql_expected_result]") {
  const auto eval = eval_of(R"(eval instant at 5m x
  x{instance="a"} 1
  x{instance="b"} NaN
)");
  const Vector right{{series("x", "b"), 300'000, kNaN}, {series("x", "a"), 300'000, 1}};
  CHECK_FALSE(result_mismatch(eval, right));  // any order without eval_ordered

  const Vector missing{{series("x", "a"), 300'000, 1}};
  CHECK(result_mismatch(eval, missing) == "expected metric x{instance=\"b\"} with NaN not found");

  Vector extra = right;
  extra.push_back({series("x", "c"), 300'000, 1});
  CHECK(result_mismatch(eval, extra) == "unexpected metric x{instance=\"c\"} in result");

  const Vector wrong_value{{series("x", "a"), 300'000, 2}, {series("x", "b"), 300'000, kNaN}};
  CHECK(result_mismatch(eval, wrong_value) == "expected 1 for x{instance=\"a\"} but got 2");

  const Vector not_nan{{series("x", "a"), 300'000, 1}, {series("x", "b"), 300'000, 0}};
  CHECK(result_mismatch(eval, not_nan) == "expected NaN for x{instance=\"b\"} but got 0");

  // The labels must be the same, the metric name included.
  const Vector renamed{{series("y", "a"), 300'000, 1}, {series("x", "b"), 300'000, kNaN}};
  CHECK(result_mismatch(eval, renamed) == "unexpected metric y{instance=\"a\"} in result");

  CHECK(result_mismatch(eval, ScalarValue{0, 1}) == "expected an instant vector but got scalar 1");
  CHECK(result_mismatch(eval, Matrix{}) == "received range result on instant evaluation");
  CHECK(result_mismatch(eval, StringValue{0, "x"}) == "unexpected string result \"x\"");
}

TEST_CASE("no expected lines means an empty vector", "[promql_expected_result]") {
  const auto eval = eval_of("eval instant at 0 nothing\n");
  CHECK_FALSE(result_mismatch(eval, Vector{}));
  CHECK(result_mismatch(eval, Vector{{Labels(), 0, 1}}) == "unexpected metric {} in result");
}

TEST_CASE("eval_ordered wants each series at its line's place", "[promql_expected_result]") {
  const auto eval = eval_of(R"(eval_ordered instant at 0 sort(x)
  x{instance="a"} 1
  x{instance="b"} 2
)");
  CHECK_FALSE(result_mismatch(eval, Vector{{series("x", "a"), 0, 1}, {series("x", "b"), 0, 2}}));
  CHECK(result_mismatch(eval, Vector{{series("x", "b"), 0, 2}, {series("x", "a"), 0, 1}}) ==
        "expected metric x{instance=\"b\"} with 2 at position 2 but was at 1");
}

TEST_CASE("a scalar is compared within the tolerance", "[promql_expected_result]") {
  const auto eval = eval_of("eval instant at 0 1/3\n  0.333333333\n");
  CHECK_FALSE(result_mismatch(eval, ScalarValue{0, 1.0 / 3}));
  CHECK(result_mismatch(eval, ScalarValue{0, 0.3}) == "expected scalar 0.333333333 but got 0.3");
  CHECK(result_mismatch(eval, Vector{}) ==
        "expected scalar 0.333333333 but got an instant vector of 0");
  const auto inf = eval_of("eval instant at 0 1/0\n  +Inf\n");
  CHECK_FALSE(result_mismatch(inf, ScalarValue{0, kInf}));
  CHECK(result_mismatch(inf, ScalarValue{0, -kInf}) == "expected scalar +Inf but got -Inf");
}

TEST_CASE("a string is compared exactly", "[promql_expected_result]") {
  const auto eval = eval_of("eval instant at 0 \"a\"\n  \"a\"\n");
  CHECK_FALSE(result_mismatch(eval, StringValue{0, "a"}));
  CHECK(result_mismatch(eval, StringValue{0, "b"}) == "expected string \"a\" but got \"b\"");
  CHECK(result_mismatch(eval, ScalarValue{0, 1}) == "expected a string but got scalar 1");
}

TEST_CASE("range mode compares the middle step of each series", "[promql_expected_result]") {
  const auto eval = eval_of("eval instant at 2m x\n  x{instance=\"a\"} 5\n");
  const Matrix right{{series("x", "a"), {{60'000, 4}, {120'000, 5}, {180'000, 6}}}};
  CHECK_FALSE(range_middle_mismatch(eval, right));
  const Matrix wrong{{series("x", "a"), {{60'000, 5}, {120'000, 4}}}};
  CHECK(range_middle_mismatch(eval, wrong) == "expected 5 for x{instance=\"a\"} but got 4");
  // A series without a point at the time is not in the middle step.
  const Matrix gap{{series("x", "a"), {{60'000, 5}, {180'000, 5}}}};
  CHECK(range_middle_mismatch(eval, gap) == "expected metric x{instance=\"a\"} with 5 not found");
  CHECK(range_middle_mismatch(eval, Vector{}) == "range query did not return a matrix");

  const auto scalar = eval_of("eval instant at 1m 2\n  2\n");
  CHECK_FALSE(range_middle_mismatch(scalar, Matrix{{Labels(), {{0, 2}, {60'000, 2}}}}));
  CHECK(range_middle_mismatch(scalar, Matrix{{Labels(), {{0, 2}, {60'000, 3}}}}) ==
        "expected scalar 2 but got 3");
  CHECK(range_middle_mismatch(scalar, Matrix{}) ==
        "expected scalar 2 but the range query has 0 series at the time");
}

TEST_CASE("results are described briefly for failure reports", "[promql_expected_result]") {
  CHECK(describe_value(ScalarValue{0, 2}) == "scalar 2");
  CHECK(describe_value(StringValue{0, "s"}) == "string \"s\"");
  CHECK(describe_value(Vector{}) == "vector of 0");
  CHECK(describe_value(Vector{{series("x", "a"), 0, 1}, {series("x", "b"), 0, 1e6}}, 1) ==
        "vector of 2: x{instance=\"a\"} 1, ...");
  CHECK(describe_value(Matrix{{series("x", "a"), {{0, 1}}}}) ==
        "matrix of 1: x{instance=\"a\"} (1 points)");
}

}  // namespace
}  // namespace mc::test
