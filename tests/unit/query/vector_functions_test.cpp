#include "common/query/vector_functions.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "tests/unit/query/function_step.hpp"

namespace mc::query {
namespace {

using testing::FunctionStep;
using testing::scalar;

const double kNaN = std::nan("");

Vector values_vector(const std::vector<double>& values) {
  Vector out;
  for (size_t i = 0; i < values.size(); ++i) {
    out.push_back(VectorSample{Labels{{"__name__", "m"}, {"i", std::to_string(i)}}, 0, values[i]});
  }
  return out;
}

// The "i" labels in output order.
std::vector<std::string> order(const Result<Vector>& result) {
  REQUIRE(result.is_ok());
  std::vector<std::string> out;
  for (const VectorSample& sample : *result) out.emplace_back(sample.labels.get("i"));
  return out;
}

TEST_CASE("vector: the scalar as one unlabelled sample") {
  auto result = FunctionStep{"vector(1)", {scalar(3.5)}}.run();
  REQUIRE(result.is_ok());
  REQUIRE(result->size() == 1);
  CHECK(result->front().labels.empty());
  CHECK(result->front().v == 3.5);
}

TEST_CASE("scalar: the only sample's value, NaN for none or several") {
  auto one = FunctionStep{"scalar(m)", {values_vector({7})}}.run();
  REQUIRE(one.is_ok());
  REQUIRE(one->size() == 1);
  CHECK(one->front().v == 7);
  CHECK(one->front().labels.empty());
  CHECK(std::isnan(FunctionStep{"scalar(m)", {Vector{}}}.run()->front().v));
  CHECK(std::isnan(FunctionStep{"scalar(m)", {values_vector({1, 2})}}.run()->front().v));
}

TEST_CASE("sort and sort_desc: by value, NaN last, ties in input order, labels kept") {
  const Vector input = values_vector({3, kNaN, 1, 2, 1});
  CHECK(order(FunctionStep{"sort(m)", {input}}.run()) ==
        std::vector<std::string>{"2", "4", "3", "0", "1"});
  CHECK(order(FunctionStep{"sort_desc(m)", {input}}.run()) ==
        std::vector<std::string>{"0", "3", "2", "4", "1"});
  auto result = FunctionStep{"sort(m)", {input}}.run();
  CHECK(result->front().labels.metric_name() == "m");
  auto empty = FunctionStep{"sort(m)", {Vector{}}}.run();
  REQUIRE(empty.is_ok());
  CHECK(empty->empty());
}

// absent(query) of an empty vector.
Labels absent_labels(const std::string& query) {
  auto result = FunctionStep{query, {Vector{}}}.run();
  REQUIRE(result.is_ok());
  REQUIRE(result->size() == 1);
  CHECK(result->front().v == 1);
  return result->front().labels;
}

TEST_CASE("absent: nothing when there are samples") {
  auto result = FunctionStep{"absent(m)", {values_vector({1})}}.run();
  REQUIRE(result.is_ok());
  CHECK(result->empty());
}

TEST_CASE("absent: the labels the selector pins with one equality matcher each") {
  CHECK(absent_labels("absent(nonexistent)").empty());
  CHECK(absent_labels(
            R"(absent(nonexistent{job="testjob", instance="testinstance", method=~".x"}))") ==
        Labels{{"instance", "testinstance"}, {"job", "testjob"}});
  CHECK(absent_labels(R"(absent(nonexistent{job="testjob",job="testjob2",foo="bar"}))") ==
        Labels{{"foo", "bar"}});
  CHECK(absent_labels(R"(absent(nonexistent{job="testjob",job=~"testjob2",foo="bar"}))") ==
        Labels{{"foo", "bar"}});
  CHECK(absent_labels(R"(absent({__name__="x", job!="a", env="prod"}))") ==
        Labels{{"env", "prod"}});
  // Not a selector: no labels.
  CHECK(absent_labels(R"(absent(sum(nonexistent{job="testjob"})))").empty());
  CHECK(absent_labels(R"(absent(nonexistent{job="a"} > 1))").empty());
  CHECK(absent_labels(R"(absent(rate(nonexistent{job="a"}[5m])))").empty());
}

TEST_CASE("vector functions: mistyped arguments are errors") {
  auto result = FunctionStep{"vector(1)", {Vector{}}}.run();
  REQUIRE_FALSE(result.is_ok());
  CHECK(result.error() == "internal error: argument 1 of vector() is not a scalar");
  CHECK_FALSE(FunctionStep{"scalar(m)", {scalar(1)}}.run().is_ok());
  CHECK_FALSE(FunctionStep{"sort_desc(m)", {}}.run().is_ok());
  CHECK_FALSE(FunctionStep{"absent(m)", {scalar(1)}}.run().is_ok());
}

}  // namespace
}  // namespace mc::query
