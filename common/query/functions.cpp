#include "common/query/functions.hpp"

#include <algorithm>

namespace mc::query {
namespace {

constexpr ValueType S = ValueType::Scalar;
constexpr ValueType V = ValueType::Vector;
constexpr ValueType M = ValueType::Matrix;
constexpr ValueType Str = ValueType::String;

const std::vector<Function>& table() {
  static const std::vector<Function> functions = [] {
    std::vector<Function> list = {
        {"abs", {V}, 0, V},
        {"absent", {V}, 0, V},
        {"absent_over_time", {M}, 0, V},
        {"acos", {V}, 0, V},
        {"acosh", {V}, 0, V},
        {"asin", {V}, 0, V},
        {"asinh", {V}, 0, V},
        {"atan", {V}, 0, V},
        {"atanh", {V}, 0, V},
        {"avg_over_time", {M}, 0, V},
        {"ceil", {V}, 0, V},
        {"changes", {M}, 0, V},
        {"clamp", {V, S, S}, 0, V},
        {"clamp_max", {V, S}, 0, V},
        {"clamp_min", {V, S}, 0, V},
        {"cos", {V}, 0, V},
        {"cosh", {V}, 0, V},
        {"count_over_time", {M}, 0, V},
        {"days_in_month", {V}, 1, V},
        {"day_of_month", {V}, 1, V},
        {"day_of_week", {V}, 1, V},
        {"day_of_year", {V}, 1, V},
        {"deg", {V}, 0, V},
        {"delta", {M}, 0, V},
        {"deriv", {M}, 0, V},
        {"exp", {V}, 0, V},
        {"floor", {V}, 0, V},
        {"histogram_count", {V}, 0, V},
        {"histogram_sum", {V}, 0, V},
        {"histogram_fraction", {S, S, V}, 0, V},
        {"histogram_quantile", {S, V}, 0, V},
        {"holt_winters", {M, S, S}, 0, V},
        {"hour", {V}, 1, V},
        {"idelta", {M}, 0, V},
        {"increase", {M}, 0, V},
        {"irate", {M}, 0, V},
        {"label_replace", {V, Str, Str, Str, Str}, 0, V},
        {"label_join", {V, Str, Str, Str}, -1, V},
        {"last_over_time", {M}, 0, V},
        {"ln", {V}, 0, V},
        {"log10", {V}, 0, V},
        {"log2", {V}, 0, V},
        {"max_over_time", {M}, 0, V},
        {"min_over_time", {M}, 0, V},
        {"minute", {V}, 1, V},
        {"month", {V}, 1, V},
        {"pi", {}, 0, S},
        {"predict_linear", {M, S}, 0, V},
        {"present_over_time", {M}, 0, V},
        {"quantile_over_time", {S, M}, 0, V},
        {"rad", {V}, 0, V},
        {"rate", {M}, 0, V},
        {"resets", {M}, 0, V},
        {"round", {V, S}, 1, V},
        {"scalar", {V}, 0, S},
        {"sgn", {V}, 0, V},
        {"sin", {V}, 0, V},
        {"sinh", {V}, 0, V},
        {"sort", {V}, 0, V},
        {"sort_desc", {V}, 0, V},
        {"sqrt", {V}, 0, V},
        {"stddev_over_time", {M}, 0, V},
        {"stdvar_over_time", {M}, 0, V},
        {"sum_over_time", {M}, 0, V},
        {"tan", {V}, 0, V},
        {"tanh", {V}, 0, V},
        {"time", {}, 0, S},
        {"timestamp", {V}, 0, V},
        {"vector", {S}, 0, V},
        {"year", {V}, 1, V},
    };
    std::sort(list.begin(), list.end(),
              [](const Function& a, const Function& b) { return a.name < b.name; });
    return list;
  }();
  return functions;
}

}  // namespace

const Function* find_function(std::string_view name) {
  const auto& functions = table();
  const auto it = std::lower_bound(
      functions.begin(), functions.end(), name,
      [](const Function& function, std::string_view wanted) { return function.name < wanted; });
  if (it == functions.end() || it->name != name) return nullptr;
  return &*it;
}

std::span<const Function> all_functions() { return table(); }

}  // namespace mc::query
