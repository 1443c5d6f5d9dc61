#include "common/query/math_functions.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numbers>

#include "tests/unit/query/function_step.hpp"

namespace mc::query {
namespace {

using testing::FunctionStep;
using testing::scalar;

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::nan("");

const Labels kSeries{{"__name__", "x"}, {"job", "a"}};
const Labels kWithoutName{{"job", "a"}};

Vector one(double v) { return Vector{VectorSample{kSeries, 0, v}}; }

// The value `query` makes of the sample v; checks the name is dropped.
double apply(const std::string& query, double v, std::vector<Value> more = {}) {
  std::vector<Value> args{one(v)};
  for (Value& value : more) args.push_back(std::move(value));
  auto result = FunctionStep{query, std::move(args)}.run();
  REQUIRE(result.is_ok());
  REQUIRE(result->size() == 1);
  CHECK(result->front().labels == kWithoutName);
  return result->front().v;
}

TEST_CASE("math: the simple functions of each value, metric name dropped") {
  CHECK(apply("abs(x)", -2.5) == 2.5);
  CHECK(apply("ceil(x)", 1.2) == 2);
  CHECK(apply("floor(x)", -1.2) == -2);
  CHECK(apply("exp(x)", 0) == 1);
  CHECK(apply("ln(x)", std::numbers::e) == Approx(1));
  CHECK(apply("ln(x)", 0) == -kInf);
  CHECK(std::isnan(apply("ln(x)", -1)));
  CHECK(apply("log2(x)", 8) == 3);
  CHECK(apply("log2(x)", 0.25) == -2);
  CHECK(apply("log2(x)", 10) == Approx(3.321928094887362));
  CHECK(apply("log10(x)", 1000) == Approx(3));
  CHECK(apply("log10(x)", 0.01) == Approx(-2));
  CHECK(apply("sqrt(x)", 9) == 3);
  CHECK(std::isnan(apply("sqrt(x)", -1)));
}

TEST_CASE("sgn: -1, 1, and zero or NaN as they are") {
  CHECK(apply("sgn(x)", -3) == -1);
  CHECK(apply("sgn(x)", 0.1) == 1);
  CHECK(apply("sgn(x)", 0) == 0);
  CHECK(std::signbit(apply("sgn(x)", -0.0)));
  CHECK(std::isnan(apply("sgn(x)", kNaN)));
}

TEST_CASE("round: to the nearest multiple, ties up") {
  CHECK(apply("round(x)", 2.5) == 3);
  CHECK(apply("round(x)", -2.5) == -2);
  CHECK(apply("round(x)", 2.4) == 2);
  CHECK(apply("round(x, 5)", 7, {scalar(5)}) == 5);
  CHECK(apply("round(x, 5)", 7.5, {scalar(5)}) == 10);
  CHECK(apply("round(x, 0.01)", 0.123, {scalar(0.01)}) == Approx(0.12));
  // 1/0 makes every value NaN (Inf/Inf), as in 2.42.
  CHECK(std::isnan(apply("round(x, 0)", 7, {scalar(0)})));
}

TEST_CASE("clamp, clamp_min, clamp_max") {
  CHECK(apply("clamp(x, -25, 75)", -50, {scalar(-25), scalar(75)}) == -25);
  CHECK(apply("clamp(x, -25, 75)", 0, {scalar(-25), scalar(75)}) == 0);
  CHECK(apply("clamp(x, -25, 75)", 100, {scalar(-25), scalar(75)}) == 75);
  CHECK(apply("clamp_min(x, -25)", -50, {scalar(-25)}) == -25);
  CHECK(apply("clamp_max(x, 75)", 100, {scalar(75)}) == 75);
  // Go's Max and Min: a NaN bound makes every value NaN.
  CHECK(std::isnan(apply("clamp(x, 0, 1)", 0.5, {scalar(0), scalar(kNaN)})));
  CHECK(std::isnan(apply("clamp(x, 0, 1)", 0.5, {scalar(kNaN), scalar(0)})));
  CHECK(std::isnan(apply("clamp_min(x, 0)", kNaN, {scalar(0)})));
  CHECK(std::isnan(apply("clamp_max(x, 0)", 5, {scalar(kNaN)})));
  // ... except an infinity in the bound's direction: Go's Max(NaN, +Inf) is
  // +Inf and Min(NaN, -Inf) is -Inf (found by the compliance harness).
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(apply("clamp_min(x, NaN)", inf, {scalar(kNaN)}) == inf);
  CHECK(std::isnan(apply("clamp_min(x, NaN)", -inf, {scalar(kNaN)})));
  CHECK(apply("clamp_max(x, NaN)", -inf, {scalar(kNaN)}) == -inf);
  CHECK(std::isnan(apply("clamp_max(x, NaN)", inf, {scalar(kNaN)})));
  // max < min: no output at all.
  auto empty = FunctionStep{"clamp(x, 5, -5)", {one(1), scalar(5), scalar(-5)}}.run();
  REQUIRE(empty.is_ok());
  CHECK(empty->empty());
}

TEST_CASE("trigonometry, hyperbolic functions, deg, rad, pi") {
  CHECK(apply("sin(x)", 0) == 0);
  CHECK(apply("cos(x)", 0) == 1);
  CHECK(apply("tan(x)", std::numbers::pi / 4) == Approx(1));
  CHECK(apply("asin(x)", 1) == Approx(std::numbers::pi / 2));
  CHECK(apply("acos(x)", 1) == 0);
  CHECK(std::isnan(apply("acos(x)", 2)));
  CHECK(apply("atan(x)", kInf) == Approx(std::numbers::pi / 2));
  CHECK(apply("sinh(x)", 0) == 0);
  CHECK(apply("cosh(x)", 0) == 1);
  CHECK(apply("tanh(x)", kInf) == 1);
  CHECK(apply("asinh(x)", 0) == 0);
  CHECK(std::isnan(apply("acosh(x)", 0.5)));
  CHECK(apply("atanh(x)", 1) == kInf);
  CHECK(apply("deg(x)", std::numbers::pi) == Approx(180));
  CHECK(apply("rad(x)", 180) == Approx(std::numbers::pi));
  auto pi = FunctionStep{"pi()", {}}.run();
  REQUIRE(pi.is_ok());
  REQUIRE(pi->size() == 1);
  CHECK(pi->front().v == std::numbers::pi);
  CHECK(pi->front().labels.empty());
}

TEST_CASE("math: every sample of the vector, and errors for wrong arguments") {
  Vector two{VectorSample{kSeries, 0, -1}, VectorSample{Labels{{"job", "b"}}, 0, 2}};
  auto result = FunctionStep{"abs(x)", {two}}.run();
  REQUIRE(result.is_ok());
  REQUIRE(result->size() == 2);
  CHECK((*result)[0].v == 1);
  CHECK((*result)[1].labels == Labels{{"job", "b"}});
  auto empty = FunctionStep{"abs(x)", {Vector{}}}.run();
  REQUIRE(empty.is_ok());
  CHECK(empty->empty());

  auto wrong = FunctionStep{"abs(x)", {scalar(1)}}.run();
  REQUIRE_FALSE(wrong.is_ok());
  CHECK(wrong.error() == "internal error: argument 1 of abs() is not an instant vector");
  CHECK_FALSE(FunctionStep{"clamp(x, 0, 1)", {one(1), scalar(0)}}.run().is_ok());
  CHECK_FALSE(FunctionStep{"round(x, 5)", {one(1), Vector{}}}.run().is_ok());
}

}  // namespace
}  // namespace mc::query
