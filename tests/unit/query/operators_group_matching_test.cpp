// vector_binary_operation with group_left/group_right: many-to-one and
// one-to-many matching, the labels copied from the "one" side, and the
// errors when the result would not be unique.
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
const Vector kJobInfo = {
    sample({{"__name__", "job_info"}, {"job", "api"}, {"owner", "alice"}, {"tier", "front"}}, 10),
    sample({{"__name__", "job_info"}, {"job", "db"}, {"owner", "bob"}}, 20),
};

TEST_CASE(
    "group_left: each many-side sample pairs with its one-side sample, labels from the many side") {
  CHECK(
      evaluate("a * on(job) group_left b", kRequests, kJobInfo) ==
      R"({instance="0", job="api"} 1000, {instance="1", job="api"} 2000, {instance="0", job="db"} 6000)");
  // A comparison keeps the many side's value and name.
  CHECK(
      evaluate("a > on(job) group_left b", kRequests, kJobInfo) ==
      R"({__name__="requests", instance="0", job="api"} 100, {__name__="requests", instance="1", job="api"} 200, {__name__="requests", instance="0", job="db"} 300)");
  CHECK(evaluate("a > bool on(job) group_left b", kRequests, kJobInfo) ==
        R"({instance="0", job="api"} 1, {instance="1", job="api"} 1, {instance="0", job="db"} 1)");
}

TEST_CASE("group_left's labels are copied from the one side, and removed where it lacks them") {
  CHECK(
      evaluate("a + on(job) group_left(owner, tier) b", kRequests, kJobInfo) ==
      R"({instance="0", job="api", owner="alice", tier="front"} 110, {instance="1", job="api", owner="alice", tier="front"} 210, {instance="0", job="db", owner="bob"} 320)");
  // The many side's own value of an included label gives way to the one side's.
  const Vector tagged = {
      sample({{"__name__", "requests"}, {"job", "db"}, {"owner", "eve"}, {"tier", "back"}}, 1)};
  CHECK(evaluate("a + on(job) group_left(owner, tier) b", tagged, kJobInfo) ==
        R"({job="db", owner="bob"} 21)");
  // ignoring(): the included labels are ignored in matching as well.
  CHECK(
      evaluate("a + ignoring(instance, owner, tier) group_left(owner) b", kRequests, kJobInfo) ==
      R"({instance="0", job="api", owner="alice"} 110, {instance="1", job="api", owner="alice"} 210, {instance="0", job="db", owner="bob"} 320)");
}

TEST_CASE("group_right mirrors group_left and keeps the operands in their places") {
  // job_info - requests: the value is left minus right whichever side is "many".
  CHECK(
      evaluate("a - on(job) group_right(owner) b", kJobInfo, kRequests) ==
      R"({instance="0", job="api", owner="alice"} -90, {instance="1", job="api", owner="alice"} -190, {instance="0", job="db", owner="bob"} -280)");
  // A comparison keeps the left value, here the one side's, with the many side's labels.
  CHECK(
      evaluate("a < on(job) group_right b", kJobInfo, kRequests) ==
      R"({__name__="requests", instance="0", job="api"} 10, {__name__="requests", instance="1", job="api"} 10, {__name__="requests", instance="0", job="db"} 20)");
}

TEST_CASE("many-side samples without a partner are left out") {
  const Vector api_only = {kJobInfo[0]};
  CHECK(evaluate("a / on(job) group_left b", kRequests, api_only) ==
        R"({instance="0", job="api"} 10, {instance="1", job="api"} 20)");
}

TEST_CASE(
    "group_left whose results collide is refused: grouping labels must ensure unique matches") {
  // Two many-side series that differ only by name are one label set once + drops it.
  const Vector named = {sample({{"__name__", "x"}, {"job", "api"}}, 1),
                        sample({{"__name__", "y"}, {"job", "api"}}, 2)};
  CHECK(evaluate("a + on(job) group_left b", named, kJobInfo) ==
        "error: multiple matches for labels: grouping labels must ensure unique matches");
  // A comparison keeps the names apart: no collision.
  CHECK(evaluate("a > on(job) group_left b", named, {sample({{"job", "api"}}, 0)}) ==
        R"({__name__="x", job="api"} 1, {__name__="y", job="api"} 2)");
  // A filtered pair never collides: the check follows the filter.
  CHECK(evaluate("a > on(job) group_left b", named, {sample({{"job", "api"}}, 1.5)}) ==
        R"({__name__="y", job="api"} 2)");
}

TEST_CASE("the one side of group_left must be unique per match group") {
  const Vector two_db = {sample({{"__name__", "job_info"}, {"job", "db"}, {"owner", "bob"}}, 20),
                         sample({{"__name__", "job_info"}, {"job", "db"}, {"owner", "carol"}}, 30)};
  CHECK(evaluate("a * on(job) group_left(owner) b", kRequests, two_db) ==
        "error: found duplicate series for the match group {job=\"db\"} on the right hand-side of "
        "the operation: [{__name__=\"job_info\", job=\"db\", owner=\"carol\"}, "
        "{__name__=\"job_info\", job=\"db\", owner=\"bob\"}];many-to-many matching not allowed: "
        "matching labels must be unique on one side");
}

}  // namespace
}  // namespace mc::query
