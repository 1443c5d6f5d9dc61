// A range query's answer at each step equals the instant query at that
// step's time: the paths that evaluate a whole range at once (sliding
// *_over_time windows, rate/increase/delta following the window, deriv and
// predict_linear regressing it as it slides, histogram_quantile grouped
// once) against the step-by-step ones an instant query takes.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <iomanip>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common/model/sample_value.hpp"
#include "tests/support/sanitizer_build.hpp"
#include "tests/unit/query/engine_test_store.hpp"

namespace mc::query {
// Named after the file: in a unity batch its helpers (kInf, kNaN, call ...)
// would otherwise meet a neighbour's anonymous ones of the same name.
namespace engine_range_steps_test {

using testing::EngineTestStore;
using testing::kMinute;
using testing::kSecond;
using testing::matrix_of;
using testing::vector_of;

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::nan("");

// The steps each range query is checked at: the scrape interval, steps that
// fall between samples, and 10 minutes. Under a sanitizer (each query costs
// several times the CPU there; this file was ~57 s of CI's ASan test time and
// as much of TSan's) two of them, which reach the same code: one between
// samples and the longest. `make test` checks all four.
std::vector<int64_t> step_seconds() {
  if (test::kSanitizerBuild) return {37, 600};
  return {15, 37, 86, 600};
}

bool same_value(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (a == b) return true;
  return std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b));
}

// The right answer of a query for a series (its labels' text) at a time,
// where the test can work it out exactly; nullopt where it cannot.
using ExactAnswer = std::function<std::optional<long double>(const std::string&, int64_t)>;

// Runs `query` as a range query and as an instant query at each step; both
// must give the same series and values (`exact`: the same doubles). Where
// the two differ by more than 1e-12 and `exact_answer` knows the answer,
// the step-by-step function's own rounding may be the cause (a regression
// whose slope is small against its values): the range answer must then be
// within 1e-12 of the exact one, and no farther from it than the instant's.
void check_range_equals_instants(QueryEngine& engine, const std::string& query, int64_t start_ms,
                                 int64_t end_ms, int64_t step_ms, bool exact = false,
                                 const ExactAnswer& exact_answer = {}) {
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
      INFO(std::setprecision(17) << "instant " << sample.v << ", range " << point->second);
      const std::optional<long double> right = exact_answer && !same_value(sample.v, point->second)
                                                   ? exact_answer(sample.labels.to_string(), t)
                                                   : std::nullopt;
      if (exact && !std::isnan(sample.v)) {
        CHECK(sample.v == point->second);
      } else if (right) {
        const long double range_error = std::fabs(point->second - *right);
        INFO(std::setprecision(17) << "exact " << static_cast<double>(*right));
        CHECK(range_error <= 1e-12L * std::fabs(*right));
        CHECK(range_error <= std::fabs(sample.v - *right));
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

// The least-squares line through the points of `points` in [from_ms, to_ms],
// exactly (in integers: values in eighths, times in ms): its slope per
// second, or with `seconds` its value that long after `at_ms`. nullopt when
// the window has fewer than 2 points or a value that is not a whole number
// of eighths below 2^60 (NaN, infinities, 1e300: the function's own path).
std::optional<long double> exact_regression(const std::vector<Sample>& points, int64_t from_ms,
                                            int64_t to_ms, int64_t at_ms,
                                            std::optional<double> seconds) {
  __extension__ using Int = __int128;
  Int n = 0;
  Int sum_x = 0;
  Int sum_y = 0;
  Int sum_xy = 0;
  Int sum_x2 = 0;
  int64_t origin_ms = 0;
  for (const Sample& point : points) {
    if (point.t_ms < from_ms || point.t_ms > to_ms) continue;
    const double eighths = point.v * 8;
    if (!(std::abs(eighths) < 0x1p60) || eighths != std::trunc(eighths)) return std::nullopt;
    if (n == 0) origin_ms = point.t_ms;
    const Int x = point.t_ms - origin_ms;
    const Int y = static_cast<int64_t>(eighths);
    ++n;
    sum_x += x;
    sum_y += y;
    sum_xy += x * y;
    sum_x2 += x * x;
  }
  if (n < 2) return std::nullopt;
  // Slope in eighths per ms: covariance / variance, both times n².
  const auto covariance = static_cast<long double>(n * sum_xy - sum_x * sum_y);
  const auto variance = static_cast<long double>(n * sum_x2 - sum_x * sum_x);
  const long double slope = covariance / variance;
  if (!seconds) return slope * 1000 / 8;
  // Through the means, to at_ms + seconds.
  const long double mean_y = static_cast<long double>(sum_y) / static_cast<long double>(n);
  const long double to_at =
      static_cast<long double>(n * (at_ms - origin_ms) - sum_x) / static_cast<long double>(n);
  return (mean_y + slope * (to_at + static_cast<long double>(*seconds) * 1000)) / 8;
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
      for (const int64_t step_s : step_seconds()) {
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
      for (const int64_t step_s : step_seconds()) {
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

TEST_CASE("engine: range deriv/predict_linear equal the instant queries at every step") {
  EngineTestStore store;
  auto appender = store.head.appender();
  // Each series' points by its labels' text in the queries' output.
  std::map<std::string, std::vector<Sample>> points;
  const auto append = [&](const char* series, int64_t t_ms, double v) {
    REQUIRE(appender->append(0, Labels{{"__name__", "p"}, {"k", series}}, t_ms, v).error ==
            AppendError::none);
    points[Labels{{"k", series}}.to_string()].push_back(Sample{t_ms, v});
  };
  // The exact answer of deriv(p[range] offset) or, with `seconds`,
  // predict_linear(p[range] offset, seconds).
  const auto exact_for = [&](int64_t range_ms, int64_t offset_ms, std::optional<double> seconds) {
    return [&points, range_ms, offset_ms, seconds](const std::string& labels, int64_t t_ms) {
      const int64_t to_ms = t_ms - offset_ms;
      return exact_regression(points[labels], to_ms - range_ms, to_ms, t_ms, seconds);
    };
  };
  // A gauge that drifts, jumps (up and back by a hundred times its drift),
  // holds still for a while (windows of one value: slope 0), has a NaN, an
  // infinity, a huge value, a staleness marker and a gap longer than the
  // windows, every 15 s for 2 h. Its drift is in
  // eighths, so a value that comes back is the same double: where rounding
  // noise of a value's last bits is the whole slope, the step-by-step Kahan
  // sums are off by up to 1e-8 relative (the sliding sums are exact there).
  double level = 3;
  for (int i = 0; i < 480; ++i) {
    if (i >= 200 && i < 230) continue;
    if (i < 60 || i > 75) level += ((i * 7919) % 13 - 6) * 0.375;
    if (i % 41 == 17) level += ((i / 41) % 2 == 0 ? 400 : -400);
    double v = level;
    if (i == 97) v = std::nan("");
    if (i == 150) v = kInf;
    if (i == 300) v = 1e300;
    if (i == 400) v = stale_nan();
    append("jumps", i * 15 * kSecond, v);
  }
  // Constant: slope 0 and its value everywhere.
  for (int i = 0; i < 480; ++i) append("constant", i * 15 * kSecond, 42.5);
  // Every 60 s: a 1m or 90s window holds one or two points.
  for (int i = 0; i < 120; ++i) append("sparse", i * 60 * kSecond, ((i * 4391) % 17 - 8) * 2.25);
  // Values near 1e15 that move by ~1e13 (large against the values' ulp, so
  // the step-by-step Kahan sums are themselves good to ~1e-14).
  for (int i = 0; i < 480; ++i) {
    append("large", i * 15 * kSecond, 1e15 + ((i * 7919) % 101 - 50) * 3.1e11 + i * 1e12);
  }
  REQUIRE(appender->commit().is_ok());
  QueryEngine engine(store.head);
  // Each query is prefix + range + suffix; predict_linear's seconds.
  for (const auto& [prefix, suffix, seconds] :
       std::vector<std::tuple<std::string, std::string, std::optional<double>>>{
           {"deriv(", ")", std::nullopt},
           {"predict_linear(", ", 600)", 600},
           {"predict_linear(", ", -3600)", -3600}}) {
    const auto query = [&](const std::string& range) { return prefix + range + suffix; };
    for (const auto& [range, range_ms] :
         std::vector<std::pair<std::string, int64_t>>{{"30s", 30 * kSecond},
                                                      {"90s", 90 * kSecond},
                                                      {"10m", 10 * kMinute},
                                                      {"1h", 60 * kMinute}}) {
      for (const int64_t step_s : step_seconds()) {
        check_range_equals_instants(engine, query("p[" + range + "]"), 0, 120 * kMinute,
                                    step_s * kSecond, false, exact_for(range_ms, 0, seconds));
      }
    }
    // predict_linear's @ moves with the steps from the first (range_argument.hpp):
    // a range query's windows are not the instant queries'.
    if (prefix == "deriv(") {
      check_range_equals_instants(engine, query("p[10m] @ 3000"), 0, 120 * kMinute, 60 * kSecond);
    }
    check_range_equals_instants(engine, query("p[10m] offset -7m"), 0, 120 * kMinute, 60 * kSecond,
                                false, exact_for(10 * kMinute, -7 * kMinute, seconds));
    check_range_equals_instants(engine, query("p[5m:30s]"), 0, 120 * kMinute, 60 * kSecond);
  }
  check_range_equals_instants(engine, "predict_linear(p[10m], scalar(p{k=\"sparse\"}))", 0,
                              120 * kMinute, 60 * kSecond);
}

TEST_CASE("engine: range deriv/predict_linear at large timestamps equal the instant queries") {
  EngineTestStore store;
  // 2024 in ms (x far from 0 had the sums cancel before Prometheus issue
  // 2674), values near 1e15 that jump.
  const int64_t start_ms = 1'700'000'000'000;
  auto appender = store.head.appender();
  std::vector<Sample> points;
  for (int i = 0; i < 480; ++i) {
    const double v = 1e15 + ((i * 7919) % 13 - 6) * 2.5e12 + (i % 53 == 0 ? 4e14 : 0);
    points.push_back(Sample{start_ms + i * 15 * kSecond, v});
    REQUIRE(appender->append(0, Labels{{"__name__", "big"}}, points.back().t_ms, v).error ==
            AppendError::none);
  }
  REQUIRE(appender->commit().is_ok());
  QueryEngine engine(store.head);
  for (const auto& [query, range_ms, seconds] :
       std::vector<std::tuple<std::string, int64_t, std::optional<double>>>{
           {"deriv(big[10m])", 10 * kMinute, std::nullopt},
           {"deriv(big[1h])", 60 * kMinute, std::nullopt},
           {"predict_linear(big[10m], 600)", 10 * kMinute, 600},
           {"predict_linear(big[1h], -86400)", 60 * kMinute, -86400},
           {"predict_linear(big[30s], 1e6)", 30 * kSecond, 1e6}}) {
    const ExactAnswer exact = [&points, range_ms, seconds](const std::string&, int64_t t_ms) {
      return exact_regression(points, t_ms - range_ms, t_ms, t_ms, seconds);
    };
    for (const int64_t step_s : {15, 86}) {
      check_range_equals_instants(engine, query, start_ms, start_ms + 120 * kMinute,
                                  step_s * kSecond, false, exact);
    }
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

}  // namespace engine_range_steps_test
}  // namespace mc::query
