#include "common/query/time_functions.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "tests/unit/query/function_step.hpp"

namespace mc::query {
namespace {

using testing::FunctionStep;

// The calendar field `function` gives for Unix seconds `seconds`.
double field(const std::string& function, double seconds) {
  Vector input{VectorSample{Labels{{"__name__", "t"}, {"a", "b"}}, 0, seconds}};
  auto result = FunctionStep{function + "(t)", {input}}.run();
  REQUIRE(result.is_ok());
  REQUIRE(result->size() == 1);
  CHECK(result->front().labels == Labels{{"a", "b"}});
  return result->front().v;
}

// The field without an argument, at step time t_ms.
double field_now(const std::string& function, int64_t t_ms) {
  FunctionStep step{function + "()", {}, t_ms};
  auto result = step.run();
  REQUIRE(result.is_ok());
  REQUIRE(result->size() == 1);
  CHECK(result->front().labels.empty());
  return result->front().v;
}

TEST_CASE("time: the step's time in seconds") {
  CHECK(field_now("time", 1) == 0.001);
  CHECK(field_now("time", 3'000'000) == 3000);
}

TEST_CASE("timestamp: each sample's own time, metric name dropped") {
  Vector input{VectorSample{Labels{{"__name__", "m"}}, 10'000, 5},
               VectorSample{Labels{{"job", "x"}}, 1'500, 5}};
  auto result = FunctionStep{"timestamp(m)", {input}, 15'000}.run();
  REQUIRE(result.is_ok());
  REQUIRE(result->size() == 2);
  CHECK((*result)[0].v == 10);
  CHECK((*result)[0].labels.empty());
  CHECK((*result)[1].v == 1.5);
}

TEST_CASE("calendar functions of 2006-01-02 22:04:05 UTC, a Monday") {
  const double t = 1136239445;
  CHECK(field("year", t) == 2006);
  CHECK(field("month", t) == 1);
  CHECK(field("day_of_month", t) == 2);
  CHECK(field("day_of_year", t) == 2);
  CHECK(field("day_of_week", t) == 1);
  CHECK(field("hour", t) == 22);
  CHECK(field("minute", t) == 4);
  CHECK(field("days_in_month", t) == 31);
}

TEST_CASE("calendar functions: year ends, leap days, month lengths") {
  CHECK(field("year", 1230767999) == 2008);  // 2008-12-31 23:59:59
  CHECK(field("year", 1230768000) == 2009);
  CHECK(field("month", 1456790399) == 2);  // 2016-02-29 23:59:59
  CHECK(field("day_of_month", 1456790399) == 29);
  CHECK(field("month", 1456790400) == 3);
  CHECK(field("day_of_year", 1483191420) == 366);   // 2016-12-31
  CHECK(field("day_of_year", 1672493820) == 365);   // 2022-12-31
  CHECK(field("days_in_month", 1454284800) == 29);  // February 2016
  CHECK(field("days_in_month", 1485907200) == 28);  // February 2017
  CHECK(field("days_in_month", 951782400) == 29);   // February 2000: divisible by 400
  CHECK(field("days_in_month", 4105123200) == 28);  // February 2100: by 100 only
  CHECK(field("days_in_month", 1459468800) == 30);  // April 2016
}

TEST_CASE("calendar functions before 1970 and of fractional seconds") {
  // -1 is 1969-12-31 23:59:59, a Wednesday.
  CHECK(field("year", -1) == 1969);
  CHECK(field("month", -1) == 12);
  CHECK(field("day_of_month", -1) == 31);
  CHECK(field("day_of_year", -1) == 365);
  CHECK(field("day_of_week", -1) == 3);
  CHECK(field("hour", -1) == 23);
  CHECK(field("minute", -1) == 59);
  // Go's int64() truncates toward zero: -0.5 is 0, still 1970.
  CHECK(field("year", -0.5) == 1970);
  CHECK(field("minute", 119.9) == 1);
  CHECK(field("year", -62135596800) == 1);  // 0001-01-01
  CHECK(field("year", -62135596801) == 0);  // the year before, proleptic
}

TEST_CASE("calendar functions without an argument read the step's time") {
  CHECK(field_now("year", 0) == 1970);
  CHECK(field_now("month", 0) == 1);
  CHECK(field_now("day_of_month", 0) == 1);
  CHECK(field_now("day_of_year", 0) == 1);
  CHECK(field_now("day_of_week", 0) == 4);  // a Thursday
  CHECK(field_now("hour", 0) == 0);
  CHECK(field_now("minute", 0) == 0);
  CHECK(field_now("hour", 1136239445'999) == 22);
  CHECK(field_now("days_in_month", 0) == 31);
}

TEST_CASE("calendar functions: NaN and out-of-range values wrap as in Go") {
  // int64() of these is Go's minimum on amd64, which Go's time package reads
  // as 292277026596-12-04 15:30:08 UTC, a Sunday.
  for (const double v : {std::nan(""), std::numeric_limits<double>::infinity(),
                         -std::numeric_limits<double>::infinity(), 1e300, -1e19}) {
    INFO(v);
    CHECK(field("year", v) == 292277026596.0);
    CHECK(field("month", v) == 12);
    CHECK(field("day_of_month", v) == 4);
    CHECK(field("hour", v) == 15);
    CHECK(field("minute", v) == 30);
    CHECK(field("day_of_week", v) == 0);
    CHECK(field("day_of_year", v) == 339);
    CHECK(field("days_in_month", v) == 31);
  }
  // The largest double below 2^63 is a valid int64, 1023 s before Go's last
  // time (time.Unix(1<<63-1, 0) prints "292277026596-12-04 15:30:07 +0000 UTC").
  CHECK(field("year", 9223372036854774784.0) == 292277026596.0);
  CHECK(field("hour", 9223372036854774784.0) == 15);
  CHECK(field("minute", 9223372036854774784.0) == 13);
}

TEST_CASE("time functions: a mistyped argument is an error") {
  auto result = FunctionStep{"hour(t)", {testing::scalar(1)}}.run();
  REQUIRE_FALSE(result.is_ok());
  CHECK(result.error() == "internal error: argument 1 of hour() is not an instant vector");
  CHECK_FALSE(FunctionStep{"timestamp(m)", {Matrix{}}}.run().is_ok());
}

}  // namespace
}  // namespace mc::query
