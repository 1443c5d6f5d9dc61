#include "common/query/functions.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "common/query/parser.hpp"

namespace mc::query {
namespace {

TEST_CASE("function table holds every Prometheus 2.42 function, and nothing more") {
  CHECK(all_functions().size() == 70);
  for (const char* name : {"rate",
                           "irate",
                           "increase",
                           "delta",
                           "idelta",
                           "deriv",
                           "predict_linear",
                           "holt_winters",
                           "histogram_quantile",
                           "histogram_fraction",
                           "histogram_count",
                           "histogram_sum",
                           "label_replace",
                           "label_join",
                           "absent",
                           "absent_over_time",
                           "present_over_time",
                           "quantile_over_time",
                           "last_over_time",
                           "sgn",
                           "clamp",
                           "atanh",
                           "deg",
                           "rad",
                           "pi",
                           "time",
                           "timestamp",
                           "vector",
                           "scalar",
                           "sort",
                           "sort_desc",
                           "days_in_month",
                           "year"}) {
    INFO(name);
    CHECK(find_function(name) != nullptr);
  }
  // Later Prometheus versions only, and the aggregators (not functions).
  for (const char* name :
       {"mad_over_time", "sort_by_label", "histogram_stddev", "limitk", "sum", "Rate"}) {
    INFO(name);
    CHECK(find_function(name) == nullptr);
  }
}

TEST_CASE("function table types: arguments, optional ones and return types") {
  const Function* round = find_function("round");
  REQUIRE(round);
  CHECK(round->arg_types == std::vector<ValueType>{ValueType::Vector, ValueType::Scalar});
  CHECK(round->variadic == 1);
  const Function* label_join = find_function("label_join");
  REQUIRE(label_join);
  CHECK(label_join->variadic == -1);
  CHECK(find_function("scalar")->return_type == ValueType::Scalar);
  CHECK(find_function("time")->arg_types.empty());
  CHECK(find_function("quantile_over_time")->arg_types ==
        std::vector<ValueType>{ValueType::Scalar, ValueType::Matrix});
}

// Every function called with arguments of its listed types parses; with one
// argument too many (for fixed arity) it fails with Prometheus's message.
TEST_CASE("function table drives the parser's call checks for every function") {
  const auto argument = [](ValueType type) -> std::string {
    switch (type) {
      case ValueType::Scalar:
        return "1";
      case ValueType::Vector:
        return "foo";
      case ValueType::Matrix:
        return "foo[5m]";
      case ValueType::String:
        return "\"s\"";
      default:
        return "";
    }
  };
  for (const Function& function : all_functions()) {
    std::string args;
    for (const ValueType type : function.arg_types) {
      if (!args.empty()) args += ", ";
      args += argument(type);
    }
    const std::string call = std::string(function.name) + "(" + args + ")";
    INFO(call);
    CHECK(parse_expr(call));
    if (function.variadic == 0) {
      const std::string too_many =
          std::string(function.name) + "(" + args + (args.empty() ? "" : ", ") + "foo)";
      auto failed = parse_expr(too_many);
      REQUIRE_FALSE(failed);
      CHECK(failed.error() == "1:1: parse error: expected " +
                                  std::to_string(function.arg_types.size()) +
                                  " argument(s) in call to \"" + std::string(function.name) +
                                  "\", got " + std::to_string(function.arg_types.size() + 1));
    }
  }
}

}  // namespace
}  // namespace mc::query
