// aggregate_steps(): the aggregations without a parameter over a whole range
// at once must give what aggregate() gives step by step through
// combine_steps: the same values to the bit, the same groups, the same output
// order (groups in the order they first appear), and no point at a step
// where a group has no member. Series here come and go, hold NaN and ±Inf,
// and a point off the grid is ignored as the per-step path ignores it.
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>

#include "common/query/operators.hpp"
#include "common/query/step_combination.hpp"
#include "operator_test_vectors.hpp"

namespace mc::query {
namespace {

using testing::parsed;

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

Matrix input_series(const StepGrid& grid) {
  const double kInf = std::numeric_limits<double>::infinity();
  Matrix input;
  uint64_t state = 7;
  const auto random = [&state](uint64_t below) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % below;
  };
  const char* jobs[] = {"db", "api", "web"};
  for (int s = 0; s < 12; ++s) {
    MatrixSeries series{Labels{{"__name__", "x"},
                               {"job", jobs[random(3)]},
                               {"instance", std::to_string(s)},
                               {"zone", s % 2 == 0 ? "a" : "b"}},
                        {}};
    for (size_t step = 0; step < grid.size(); ++step) {
      if (random(4) == 0) continue;  // absent at this step
      double v = static_cast<double>(random(1000)) / 7.0 - 50;
      if (random(50) == 0) v = std::nan("");
      if (random(60) == 0) v = random(2) == 0 ? kInf : -kInf;
      series.points.push_back(Sample{grid.time(step), v});
      // Off the grid: neither path may see it.
      if (random(30) == 0) series.points.push_back(Sample{grid.time(step) + 1, 1e9});
    }
    input.push_back(std::move(series));
  }
  return input;
}

}  // namespace

TEST_CASE("aggregate_steps equals aggregate() step by step", "[query][aggregation]") {
  const StepGrid grid{1'000'000, 1'000'000 + 59 * 15'000, 15'000};
  const Matrix input = input_series(grid);
  for (const char* query :
       {"sum(x)", "sum by (job) (x)", "avg by (job) (x)", "min without (instance) (x)",
        "max by (zone, job) (x)", "count by (job) (x)", "group by (zone) (x)",
        "stddev by (job) (x)", "stdvar without (instance, job) (x)", "sum by (__name__) (x)"}) {
    CAPTURE(query);
    const ExprPtr expr = parsed(query);
    const auto& aggregation = *expr->as<AggregateExpr>();
    QueryLimits limits(std::chrono::steady_clock::now() + std::chrono::minutes(1), 1'000'000);
    std::optional<Matrix> fast = aggregate_steps(aggregation, input, grid, limits);
    REQUIRE(fast.has_value());

    QueryLimits step_limits(std::chrono::steady_clock::now() + std::chrono::minutes(1), 1'000'000);
    StepCollector collector(step_limits);
    // As combine_steps gathers: the series' points at each step's time, in series order.
    for (size_t step = 0; step < grid.size(); ++step) {
      const int64_t t = grid.time(step);
      Vector at_step;
      for (const MatrixSeries& series : input) {
        for (const Sample& point : series.points) {
          if (point.t_ms == t) at_step.push_back(VectorSample{series.labels, t, point.v});
        }
      }
      Result<Vector> result = aggregate(aggregation, at_step, nullptr);
      REQUIRE(result.is_ok());
      collector.add(t, std::move(*result));
    }
    const Matrix slow = collector.take();

    REQUIRE(fast->size() == slow.size());
    for (size_t s = 0; s < slow.size(); ++s) {
      CHECK((*fast)[s].labels == slow[s].labels);
      REQUIRE((*fast)[s].points.size() == slow[s].points.size());
      for (size_t p = 0; p < slow[s].points.size(); ++p) {
        CHECK((*fast)[s].points[p].t_ms == slow[s].points[p].t_ms);
        CHECK(same_bits((*fast)[s].points[p].v, slow[s].points[p].v));
      }
    }
    CHECK(limits.samples_held() == step_limits.samples_held());
  }
}

TEST_CASE("aggregate_steps leaves aggregations with a parameter to the per-step path",
          "[query][aggregation]") {
  const StepGrid grid{0, 60'000, 15'000};
  const Matrix input = input_series(grid);
  QueryLimits limits(std::chrono::steady_clock::now() + std::chrono::minutes(1), 1'000'000);
  for (const char* query :
       {"topk(2, x)", "bottomk(1, x)", "quantile(0.5, x)", "count_values(\"v\", x)"}) {
    CAPTURE(query);
    const ExprPtr expr = parsed(query);
    CHECK_FALSE(aggregate_steps(*expr->as<AggregateExpr>(), input, grid, limits).has_value());
  }
  CHECK(limits.samples_held() == 0);
}

TEST_CASE("aggregate_steps counts its output against the sample limit", "[query][aggregation]") {
  const StepGrid grid{0, 59 * 15'000, 15'000};
  const Matrix input = input_series(grid);
  const ExprPtr expr = parsed("sum by (instance) (x)");
  QueryLimits limits(std::chrono::steady_clock::now() + std::chrono::minutes(1), 10);
  CHECK_THROWS(aggregate_steps(*expr->as<AggregateExpr>(), input, grid, limits));
}

}  // namespace mc::query
