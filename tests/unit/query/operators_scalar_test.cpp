// vector_scalar_operation and scalar_binary_operation, and Go's math.Pow,
// math.Mod and math.Atan2 beneath them.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "common/query/go_math.hpp"
#include "common/query/operators.hpp"
#include "operator_test_vectors.hpp"

namespace mc::query {
namespace {

using testing::parsed;
using testing::sample;
using testing::text;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kPi = 3.141592653589793;

const Vector kRequests = {
    sample({{"__name__", "requests"}, {"job", "api"}}, 100),
    sample({{"__name__", "requests"}, {"job", "db"}}, 300),
};

// The query's operator and modifiers applied to kRequests and the scalar.
std::string evaluate(std::string_view query, double scalar, bool scalar_on_left) {
  const ExprPtr expr = parsed(query);
  const auto* binary = expr->as<BinaryExpr>();
  REQUIRE(binary != nullptr);
  return text(vector_scalar_operation(*binary, kRequests, scalar, scalar_on_left));
}

TEST_CASE("vector-scalar arithmetic drops the name, with the scalar on either side") {
  CHECK(evaluate("v * 2", 2, false) == R"({job="api"} 200, {job="db"} 600)");
  CHECK(evaluate("v - 50", 50, false) == R"({job="api"} 50, {job="db"} 250)");
  CHECK(evaluate("1000 - v", 1000, true) == R"({job="api"} 900, {job="db"} 700)");
  CHECK(evaluate("v / 0", 0, false) == R"({job="api"} +Inf, {job="db"} +Inf)");
  CHECK(evaluate("0 / v", 0, true) == R"({job="api"} 0, {job="db"} 0)");
  CHECK(evaluate("v % 7", 7, false) == R"({job="api"} 2, {job="db"} 6)");
  CHECK(evaluate("1000 % v", 1000, true) == R"({job="api"} 0, {job="db"} 100)");
  CHECK(evaluate("v ^ 2", 2, false) == R"({job="api"} 10000, {job="db"} 90000)");
  CHECK(evaluate("2 ^ v", 2, true) ==
        R"({job="api"} 1.2676506002282294e+30, {job="db"} 2.037035976334486e+90)");
}

TEST_CASE("vector-scalar atan2 keeps the name and respects the operand order") {
  CHECK(
      evaluate("v atan2 0", 0, false) ==
      R"({__name__="requests", job="api"} 1.5707963267948966, {__name__="requests", job="db"} 1.5707963267948966)");
  CHECK(evaluate("0 atan2 v", 0, true) ==
        R"({__name__="requests", job="api"} 0, {__name__="requests", job="db"} 0)");
}

TEST_CASE("vector-scalar comparisons filter and keep the vector's value and name on either side") {
  CHECK(evaluate("v > 150", 150, false) == R"({__name__="requests", job="db"} 300)");
  CHECK(evaluate("150 < v", 150, true) == R"({__name__="requests", job="db"} 300)");
  CHECK(evaluate("150 > v", 150, true) == R"({__name__="requests", job="api"} 100)");
  CHECK(evaluate("v == 100", 100, false) == R"({__name__="requests", job="api"} 100)");
  CHECK(evaluate("v != 100", 100, false) == R"({__name__="requests", job="db"} 300)");
  CHECK(evaluate("v >= 300", 300, false) == R"({__name__="requests", job="db"} 300)");
  CHECK(evaluate("v <= 300", 300, false) ==
        R"({__name__="requests", job="api"} 100, {__name__="requests", job="db"} 300)");
  CHECK(evaluate("v < 0", 0, false).empty());
}

TEST_CASE("vector-scalar bool comparisons give 0 or 1 for every sample and drop the name") {
  CHECK(evaluate("v > bool 150", 150, false) == R"({job="api"} 0, {job="db"} 1)");
  CHECK(evaluate("150 > bool v", 150, true) == R"({job="api"} 1, {job="db"} 0)");
  CHECK(evaluate("v == bool NaN", std::nan(""), false) == R"({job="api"} 0, {job="db"} 0)");
}

TEST_CASE("a set operator with a scalar (which the parser refuses) gives nothing, not a crash") {
  BinaryExpr expr;
  expr.op = TokenKind::Land;
  CHECK(vector_scalar_operation(expr, kRequests, 1, false).empty());
}

TEST_CASE("scalar-scalar operations; comparisons give 0 or 1") {
  CHECK(scalar_binary_operation(TokenKind::Add, 1, 2) == 3);
  CHECK(scalar_binary_operation(TokenKind::Sub, 1, 2) == -1);
  CHECK(scalar_binary_operation(TokenKind::Mul, 3, 4) == 12);
  CHECK(scalar_binary_operation(TokenKind::Div, 1, 4) == 0.25);
  CHECK(scalar_binary_operation(TokenKind::Div, -1, 0) == -kInf);
  CHECK(scalar_binary_operation(TokenKind::Mod, -7, 3) == -1);
  CHECK(scalar_binary_operation(TokenKind::Pow, 2, -2) == 0.25);
  CHECK(scalar_binary_operation(TokenKind::Atan2, 10, 20) == 0.4636476090008061);
  CHECK(scalar_binary_operation(TokenKind::Gtr, 2, 1) == 1);
  CHECK(scalar_binary_operation(TokenKind::Lss, 2, 1) == 0);
  CHECK(scalar_binary_operation(TokenKind::Gte, 1, 1) == 1);
  CHECK(scalar_binary_operation(TokenKind::Lte, 2, 1) == 0);
  CHECK(scalar_binary_operation(TokenKind::Eqlc, 1, 1) == 1);
  CHECK(scalar_binary_operation(TokenKind::Neq, 1, 1) == 0);
  CHECK(scalar_binary_operation(TokenKind::Eqlc, std::nan(""), std::nan("")) == 0);
  CHECK(std::isnan(scalar_binary_operation(TokenKind::Land, 1, 1)));
}

TEST_CASE("go_pow has math.Pow's special cases") {
  CHECK(go_pow(std::nan(""), 0) == 1);
  CHECK(go_pow(1, std::nan("")) == 1);
  CHECK(go_pow(1, kInf) == 1);
  CHECK(go_pow(-3, 1) == -3);
  CHECK(std::isnan(go_pow(std::nan(""), 2)));
  CHECK(std::isnan(go_pow(2, std::nan(""))));
  CHECK(go_pow(0.0, -1) == kInf);
  CHECK(go_pow(-0.0, -3) == -kInf);
  CHECK(go_pow(-0.0, -2) == kInf);
  CHECK(std::signbit(go_pow(-0.0, 3)));
  CHECK(go_pow(-0.0, 2) == 0);
  CHECK_FALSE(std::signbit(go_pow(-0.0, 2)));
  CHECK(go_pow(-1, kInf) == 1);
  CHECK(go_pow(-1, -kInf) == 1);
  CHECK(go_pow(0.5, kInf) == 0);
  CHECK(go_pow(0.5, -kInf) == kInf);
  CHECK(go_pow(2, kInf) == kInf);
  CHECK(go_pow(2, -kInf) == 0);
  CHECK(go_pow(kInf, -1) == 0);
  CHECK(go_pow(kInf, 0.5) == kInf);
  CHECK(go_pow(-kInf, 3) == -kInf);
  CHECK(go_pow(-kInf, 2) == kInf);
  CHECK(std::signbit(go_pow(-kInf, -3)));
  CHECK(go_pow(4, 0.5) == 2);
  CHECK(go_pow(4, -0.5) == 0.5);
  CHECK(std::isnan(go_pow(-8, 1.0 / 3)));
  CHECK(go_pow(-1, 1e300) == 1);  // an even integer beyond int64
  CHECK(go_pow(2, 1e300) == kInf);
  CHECK(go_pow(0.5, 1e300) == 0);
}

TEST_CASE("go_pow applies an integer exponent by repeated squaring, exactly where that is exact") {
  CHECK(go_pow(2, 10) == 1024);
  CHECK(go_pow(-2, 3) == -8);
  CHECK(go_pow(10, 3) == 1000);
  CHECK(go_pow(2, -1074) == std::ldexp(1.0, -1074));  // the smallest subnormal
  CHECK(go_pow(2, -1075) == 0);
  CHECK(go_pow(2, 1023) == std::ldexp(1.0, 1023));
  CHECK(go_pow(2, 1024) == kInf);
  CHECK(go_pow(10, 400) == kInf);
  CHECK(go_pow(10, -400) == 0);
  // A fractional exponent: x^1.5 = x * x^0.5 through exp(0.5 * log(x)).
  CHECK(go_pow(4, 1.5) == Approx(8).epsilon(1e-15));
}

TEST_CASE("go_mod has math.Mod's sign and special cases") {
  CHECK(go_mod(7, 3) == 1);
  CHECK(go_mod(-7, 3) == -1);
  CHECK(go_mod(7, -3) == 1);
  CHECK(go_mod(5.5, 2) == 1.5);
  CHECK(std::signbit(go_mod(-6, 3)));
  CHECK(std::isnan(go_mod(5, 0)));
  CHECK(std::isnan(go_mod(kInf, 2)));
  CHECK(std::isnan(go_mod(std::nan(""), 2)));
  CHECK(std::isnan(go_mod(2, std::nan(""))));
  CHECK(go_mod(5, kInf) == 5);
  CHECK(go_mod(-5, -kInf) == -5);
}

TEST_CASE("go_atan2 has math.Atan2's quadrants, signed zeros and infinities") {
  CHECK(go_atan2(10, 20) == 0.4636476090008061);
  CHECK(go_atan2(1, 1) == kPi / 4);
  CHECK(go_atan2(1, -1) == 2.356194490192345);
  CHECK(go_atan2(-1, -1) == -2.356194490192345);
  CHECK(go_atan2(0.0, 1) == 0);
  CHECK(std::signbit(go_atan2(-0.0, 1)));
  CHECK(go_atan2(0.0, -0.0) == kPi);
  CHECK(go_atan2(-0.0, -1) == -kPi);
  CHECK(go_atan2(5, 0) == kPi / 2);
  CHECK(go_atan2(-5, 0) == -kPi / 2);
  CHECK(go_atan2(kInf, kInf) == kPi / 4);
  CHECK(go_atan2(-kInf, -kInf) == -2.356194490192345);
  CHECK(go_atan2(3, kInf) == 0);
  CHECK(go_atan2(3, -kInf) == kPi);
  CHECK(go_atan2(kInf, 3) == kPi / 2);
  CHECK(std::isnan(go_atan2(std::nan(""), 1)));
  CHECK(std::isnan(go_atan2(1, std::nan(""))));
}

}  // namespace
}  // namespace mc::query
