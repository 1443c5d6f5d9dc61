// A range query's answer at each step equals the instant query at that
// step's time: the paths that evaluate a whole range at once (sliding
// *_over_time windows, rate/increase/delta following the window,
// histogram_quantile grouped once) against the step-by-step ones an instant
// query takes.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "common/model/sample_value.hpp"
#include "tests/unit/query/engine_test_store.hpp"

namespace mc::query {
namespace {

using testing::EngineTestStore;
using testing::kMinute;
using testing::kSecond;
using testing::matrix_of;
using testing::vector_of;

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::nan("");

bool same_value(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (a == b) return true;
  return std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b));
}

// Runs `query` as a range query and as an instant query at each step; both
// must give the same series and values (`exact`: the same doubles).
void check_range_equals_instants(QueryEngine& engine, const std::string& query, int64_t start_ms,
                                 int64_t end_ms, int64_t step_ms, bool exact = false) {
  INFO(query);
  const Matrix range = matrix_of(engine.range_query(query, start_ms, end_ms, step_ms));
  std::map<std::string, std::map<int64_t, double>> by_series;
  for (const MatrixSeries& series : range) {
    for (const Sample& point : series.points)
      by_series[series.labels.to_string()][point.t_ms] = point.v;
  }
  size_t instant_points = 0;
  for (int64_t t = start_ms; t <= end_ms; t += step_ms) {
    for (const VectorSample& sample : vector_of(engine.instant_query(query, t))) {
      ++instant_points;
      INFO(sample.labels.to_string() << " at " << t);
      const auto series = by_series.find(sample.labels.to_string());
      REQUIRE(series != by_series.end());
      const auto point = series->second.find(t);
      REQUIRE(point != series->second.end());
      INFO("instant " << sample.v << ", range " << point->second);
      if (exact && !std::isnan(sample.v)) {
        CHECK(sample.v == point->second);
      } else {
        CHECK(same_value(sample.v, point->second));
      }
    }
  }
  size_t range_points = 0;
  for (const auto& [labels, points] : by_series) range_points += points.size();
  CHECK(range_points == instant_points);
  CHECK(instant_points > 0);
}

// `function` is a name ("min_over_time") or a call's start up to its range
// argument ("quantile_over_time(0.3,").
std::string call(const std::string& function, const std::string& range) {
  if (function.back() == ',') return function + " " + range + ")";
  return function + "(" + range + ")";
}

TEST_CASE("engine: range *_over_time equal the instant queries at every step") {
  EngineTestStore store;
  // A walk with NaN, infinities, -0, a huge value, a staleness marker and a
  // gap, sampled every 15 s for 2 h.
  std::vector<Sample> samples;
  double level = 3;
  for (int i = 0; i < 480; ++i) {
    if (i >= 200 && i < 230) continue;  // a gap longer than the windows
    level += ((i * 7919) % 13 - 6) * 0.37;
    double v = level;
    if (i % 97 == 5) v = kNaN;
    if (i == 150) v = kInf;
    if (i == 151) v = -kInf;
    if (i == 300) v = 1e300;
    if (i % 113 == 7) v = -0.0;
    if (i == 400) v = stale_nan();
    samples.push_back(Sample{i * 15 * kSecond, v});
  }
  auto appender = store.head.appender();
  for (const Sample& sample : samples) {
    REQUIRE(
        appender->append(0, Labels{{"__name__", "g"}, {"k", "a"}}, sample.t_ms, sample.v).error ==
        AppendError::none);
  }
  REQUIRE(appender->commit().is_ok());
  store.add_series(Labels{{"__name__", "g"}, {"k", "b"}}, 480, 15 * kSecond, -0.25);
  QueryEngine engine(store.head);
  for (const char* function :
       {"min_over_time", "max_over_time", "sum_over_time", "avg_over_time", "count_over_time",
        "last_over_time", "present_over_time", "quantile_over_time(0.3,",
        "quantile_over_time(0.95,", "quantile_over_time(scalar(g{k=\"b\"}),"}) {
    for (const char* range : {"1m", "10m", "1h"}) {
      for (const int64_t step_s : {15, 37, 86, 600}) {
        check_range_equals_instants(engine, call(function, std::string("g[") + range + "]"), 0,
                                    120 * kMinute, step_s * kSecond);
      }
    }
    // Windows pinned by @ and moved by offset.
    check_range_equals_instants(engine, call(function, "g[10m] @ 3000"), 0, 120 * kMinute,
                                60 * kSecond);
    check_range_equals_instants(engine, call(function, "g[10m] offset -7m"), 0, 120 * kMinute,
                                60 * kSecond);
  }
}

TEST_CASE("engine: range rate/increase/delta equal the instant queries at every step") {
  EngineTestStore store;
  // A counter every 15 s (a few ms of jitter) for 2 h: resets to 0 and to a
  // smaller value, two resets 30 s apart, a NaN, a staleness marker and a
  // gap longer than the windows; it restarts at a large value.
  std::vector<Sample> samples;
  double counter = 5;
  for (int i = 0; i < 480; ++i) {
    if (i >= 200 && i < 230) continue;
    counter += (i * 7919) % 13 * 1.7;
    if (i == 40 || i == 330) counter = 0;
    if (i == 90 || i == 92) counter *= 0.4;
    if (i == 230) counter = 1e6;
    double v = counter;
    if (i == 120) v = std::nan("");
    if (i == 400) v = stale_nan();
    samples.push_back(Sample{i * 15 * kSecond + (i * 31) % 7, v});
  }
  auto appender = store.head.appender();
  for (const Sample& sample : samples) {
    REQUIRE(
        appender->append(0, Labels{{"__name__", "c"}, {"k", "a"}}, sample.t_ms, sample.v).error ==
        AppendError::none);
  }
  // A gauge going up and down through negative values, for delta; it starts
  // late and stops early (extrapolation by half an interval at either end).
  for (int i = 100; i < 380; ++i) {
    const double v = ((i * 4391) % 17 - 8) * 2.25;
    REQUIRE(appender->append(0, Labels{{"__name__", "c"}, {"k", "b"}}, i * 15 * kSecond, v).error ==
            AppendError::none);
  }
  REQUIRE(appender->commit().is_ok());
  QueryEngine engine(store.head);
  for (const char* function : {"rate", "increase", "delta"}) {
    for (const char* range : {"30s", "1m", "5m", "1h"}) {
      for (const int64_t step_s : {15, 37, 86, 600}) {
        check_range_equals_instants(engine, std::string(function) + "(c[" + range + "])", 0,
                                    120 * kMinute, step_s * kSecond, true);
      }
    }
    check_range_equals_instants(engine, std::string(function) + "(c[10m] @ 3000)", 0, 120 * kMinute,
                                60 * kSecond, true);
    check_range_equals_instants(engine, std::string(function) + "(c[10m] offset -7m)", 0,
                                120 * kMinute, 60 * kSecond, true);
    check_range_equals_instants(engine, std::string(function) + "(c[5m:30s])", 0, 120 * kMinute,
                                60 * kSecond, true);
  }
}

// Buckets of two histograms (methods), one with its le written two ways and
// a bucket that starts late, and a series whose le is not a number.
void add_histograms(EngineTestStore& store) {
  for (const char* method : {"GET", "POST"}) {
    const std::vector<std::string> bounds = {"0.1", "0.5", "1", "+Inf"};
    for (size_t b = 0; b < bounds.size(); ++b) {
      std::string le = bounds[b];
      if (std::string(method) == "POST" && le == "1") le = "1.0";
      const int starts_at = (std::string(method) == "POST" && b == 1) ? 40 : 0;
      auto appender = store.head.appender();
      for (int i = starts_at; i < 240; ++i) {
        const double count = (b + 1) * i * (std::string(method) == "GET" ? 1.0 : 0.7);
        REQUIRE(appender
                    ->append(0, Labels{{"__name__", "h_bucket"}, {"method", method}, {"le", le}},
                             i * 15 * kSecond, count)
                    .error == AppendError::none);
      }
      REQUIRE(appender->commit().is_ok());
    }
  }
  store.add_series(Labels{{"__name__", "h_bucket"}, {"method", "GET"}, {"le", "many"}}, 240,
                   15 * kSecond, 1);
  store.add_series(Labels{{"__name__", "phi"}}, 240, 15 * kSecond, 0.01);
}

TEST_CASE("engine: range histogram_quantile equals the instant queries at every step") {
  EngineTestStore store;
  add_histograms(store);
  QueryEngine engine(store.head);
  for (const char* query :
       {"histogram_quantile(0.5, rate(h_bucket[5m]))", "histogram_quantile(0.99, h_bucket)",
        "histogram_quantile(-1, h_bucket)", "histogram_quantile(scalar(phi), h_bucket)",
        "histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m])))",
        "histogram_quantile(0.5, h_bucket{le!=\"0.5\"} offset 5m)"}) {
    for (const int64_t step_s : {15, 60, 700}) {
      check_range_equals_instants(engine, query, 0, 60 * kMinute, step_s * kSecond);
    }
  }
}

TEST_CASE("engine: range histogram_quantile of histograms that differ only in name") {
  EngineTestStore store;
  store.add_series(Labels{{"__name__", "a_bucket"}, {"le", "+Inf"}}, 20, 15 * kSecond, 1);
  store.add_series(Labels{{"__name__", "b_bucket"}, {"le", "+Inf"}}, 20, 15 * kSecond, 1);
  QueryEngine engine(store.head);
  SECTION("at the same steps: the query fails as it does step by step") {
    const QueryResult result = engine.range_query(
        "histogram_quantile(0.5, {__name__=~\"a_bucket|b_bucket\"})", 0, 4 * kMinute, 15 * kSecond);
    REQUIRE(result.error);
    CHECK(result.error->kind == QueryErrorKind::Execution);
    CHECK(result.error->message == "vector cannot contain metrics with the same labelset");
  }
  SECTION("at different steps: one series") {
    // b's samples shifted an hour later: the steps of the two do not meet.
    EngineTestStore apart;
    apart.add_series(Labels{{"__name__", "a_bucket"}, {"le", "+Inf"}}, 20, 15 * kSecond, 1);
    auto appender = apart.head.appender();
    for (int i = 0; i < 20; ++i) {
      REQUIRE(appender
                  ->append(0, Labels{{"__name__", "b_bucket"}, {"le", "+Inf"}},
                           60 * kMinute + i * 15 * kSecond, i)
                  .error == AppendError::none);
    }
    REQUIRE(appender->commit().is_ok());
    QueryEngine apart_engine(apart.head);
    const Matrix result = matrix_of(
        apart_engine.range_query("histogram_quantile(0.5, {__name__=~\"a_bucket|b_bucket\"})", 0,
                                 80 * kMinute, 5 * kMinute));
    REQUIRE(result.size() == 1);
    CHECK(result.front().labels.empty());
    // a's steps 0 and 5 min (lookback), b's from 60 min on.
    std::vector<int64_t> times;
    for (const Sample& point : result.front().points) times.push_back(point.t_ms / kMinute);
    CHECK(times == std::vector<int64_t>{0, 5, 60, 65});
  }
}

}  // namespace
}  // namespace mc::query
