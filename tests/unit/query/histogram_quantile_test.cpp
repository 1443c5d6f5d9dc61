#include "common/query/histogram_quantile.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "tests/unit/query/function_step.hpp"

namespace mc::query {
namespace {

using testing::FunctionStep;
using testing::scalar;

constexpr double kInf = std::numeric_limits<double>::infinity();

struct BucketSample {
  std::string le;
  double count;
};

// One histogram's buckets as samples of `name` with labels job="a".
Vector histogram(const std::vector<BucketSample>& buckets, const std::string& name = "h_bucket",
                 const std::string& job = "a") {
  Vector out;
  for (const BucketSample& bucket : buckets) {
    out.push_back(
        VectorSample{Labels{{"__name__", name}, {"job", job}, {"le", bucket.le}}, 0, bucket.count});
  }
  return out;
}

Result<Vector> quantile(double phi, Vector input) {
  return FunctionStep{"histogram_quantile(0.5, x)", {scalar(phi), std::move(input)}}.run();
}

double quantile_value(double phi, Vector input) {
  auto result = quantile(phi, std::move(input));
  REQUIRE(result.is_ok());
  REQUIRE(result->size() == 1);
  CHECK(result->front().labels == Labels{{"job", "a"}});
  return result->front().v;
}

// 10 observations up to 0.1, 20 up to 1, 30 in all.
const std::vector<BucketSample> kBuckets = {{"0.1", 10}, {"1", 20}, {"+Inf", 30}};

TEST_CASE("histogram_quantile: interpolates inside the bucket holding the rank") {
  CHECK(quantile_value(0.5, histogram(kBuckets)) == Approx(0.55));  // rank 15: half of (0.1, 1]
  CHECK(quantile_value(0.2, histogram(kBuckets)) == Approx(0.06));  // rank 6 of 10 in (0, 0.1]
  CHECK(quantile_value(0, histogram(kBuckets)) == 0);
  // A rank in the +Inf bucket: the highest finite bound.
  CHECK(quantile_value(0.9, histogram(kBuckets)) == 1);
  CHECK(quantile_value(1, histogram(kBuckets)) == 1);
}

TEST_CASE("histogram_quantile: φ out of range, and NaN") {
  CHECK(quantile_value(-0.1, histogram(kBuckets)) == -kInf);
  CHECK(quantile_value(1.01, histogram(kBuckets)) == kInf);
  CHECK(std::isnan(quantile_value(std::nan(""), histogram(kBuckets))));
}

TEST_CASE("histogram_quantile: buckets in any order, one bound written two ways merged") {
  CHECK(quantile_value(0.5, histogram({{"+Inf", 30}, {"1", 20}, {"0.1", 10}})) == Approx(0.55));
  // le="1.0" and le="1" are the same bucket: 20 in all up to 1, of 40.
  CHECK(quantile_value(0.5, histogram({{"0.1", 10}, {"1", 10}, {"1.0", 10}, {"+Inf", 40}})) ==
        Approx(0.1 + 0.9 * (10.0 / 10)));
  // Bounds as Go's ParseFloat reads them.
  CHECK(quantile_value(0.5, histogram({{"1e-1", 10}, {"0x1p0", 20}, {"+inf", 30}})) ==
        Approx(0.55));
}

TEST_CASE("histogram_quantile: decreasing counts are raised to the one before") {
  // 2.42's histograms.test: 20 10 50 40 90 80 for 0.1 1 10 100 1000 +Inf
  // become 20 20 50 50 90 90.
  const Vector nonmonotonic =
      histogram({{"0.1", 20}, {"1", 10}, {"10", 50}, {"100", 40}, {"1000", 90}, {"+Inf", 80}});
  CHECK(quantile_value(0.01, nonmonotonic) == Approx(0.0045));
  CHECK(quantile_value(0.5, nonmonotonic) == Approx(8.5));
  CHECK(quantile_value(0.99, nonmonotonic) == Approx(979.75));
}

TEST_CASE("histogram_quantile: NaN without a +Inf bucket, two buckets, or observations") {
  CHECK(std::isnan(quantile_value(0.5, histogram({{"0.1", 10}, {"1", 20}}))));
  CHECK(std::isnan(quantile_value(0.5, histogram({{"+Inf", 20}}))));
  CHECK(std::isnan(quantile_value(0.5, histogram({{"+Inf", 20}, {"Inf", 20}}))));
  CHECK(std::isnan(quantile_value(0.5, histogram({{"0.1", 0}, {"0.2", 0}, {"+Inf", 0}}))));
}

TEST_CASE("histogram_quantile: a rank in a lowest bucket bounded at or below zero is its bound") {
  CHECK(quantile_value(0.25, histogram({{"-1", 10}, {"0", 20}, {"+Inf", 40}})) == -1);
  // Otherwise the lowest bucket starts at 0.
  CHECK(quantile_value(0.25, histogram({{"2", 20}, {"+Inf", 40}})) == Approx(1));
}

TEST_CASE("histogram_quantile: samples without a readable le are skipped") {
  Vector input = histogram(kBuckets);
  input.push_back(
      VectorSample{Labels{{"__name__", "h_bucket"}, {"job", "a"}, {"le", "x"}}, 0, 1000});
  input.push_back(
      VectorSample{Labels{{"__name__", "h_bucket"}, {"job", "a"}, {"le", "1e400"}}, 0, 1000});
  input.push_back(VectorSample{Labels{{"__name__", "h_bucket"}, {"job", "a"}}, 0, 1000});
  CHECK(quantile_value(0.5, input) == Approx(0.55));
  auto nothing = quantile(0.5, Vector{VectorSample{Labels{{"job", "a"}}, 0, 1}});
  REQUIRE(nothing.is_ok());
  CHECK(nothing->empty());
}

TEST_CASE("histogram_quantile: one output per histogram, name and le dropped") {
  Vector input = histogram(kBuckets, "h_bucket", "a");
  const Vector other_job = histogram({{"1", 5}, {"+Inf", 10}}, "h_bucket", "b");
  input.insert(input.end(), other_job.begin(), other_job.end());
  // Same labels under another name: a histogram of its own (2.42 issue 9910);
  // that both then have the same output labels is the engine's error to raise.
  const Vector other_name = histogram({{"1", 5}, {"+Inf", 10}}, "g_bucket", "a");
  input.insert(input.end(), other_name.begin(), other_name.end());
  auto result = quantile(0.5, input);
  REQUIRE(result.is_ok());
  REQUIRE(result->size() == 3);
  CHECK((*result)[0].labels == Labels{{"job", "a"}});
  CHECK((*result)[0].v == Approx(0.55));
  CHECK((*result)[1].labels == Labels{{"job", "b"}});
  CHECK((*result)[1].v == Approx(1));
  CHECK((*result)[2].labels == Labels{{"job", "a"}});
  CHECK((*result)[2].v == Approx(1));
}

TEST_CASE("histogram_count, _sum, _fraction: float samples are not native histograms") {
  const Vector input = histogram(kBuckets);
  for (const auto& step :
       {FunctionStep{"histogram_count(x)", {input}}, FunctionStep{"histogram_sum(x)", {input}},
        FunctionStep{"histogram_fraction(0, 1, x)", {scalar(0), scalar(1), input}}}) {
    INFO(step.query);
    auto result = step.run();
    REQUIRE(result.is_ok());
    CHECK(result->empty());
  }
  CHECK_FALSE(FunctionStep{"histogram_fraction(0, 1, x)", {input}}.run().is_ok());
}

TEST_CASE("histogram_quantile: mistyped arguments are errors") {
  auto result = FunctionStep{"histogram_quantile(0.5, x)", {histogram(kBuckets)}}.run();
  REQUIRE_FALSE(result.is_ok());
  CHECK(result.error() == "internal error: argument 1 of histogram_quantile() is not a scalar");
  CHECK_FALSE(FunctionStep{"histogram_quantile(0.5, x)", {scalar(0.5), scalar(1)}}.run().is_ok());
}

}  // namespace
}  // namespace mc::query
