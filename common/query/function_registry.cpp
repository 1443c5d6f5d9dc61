// find_function_impl (function_call.hpp): every function of Prometheus 2.42
// by name, absent_over_time aside (the engine's own).
#include <algorithm>
#include <array>
#include <string_view>

#include "common/query/function_call.hpp"
#include "common/query/histogram_quantile.hpp"
#include "common/query/label_functions.hpp"
#include "common/query/math_functions.hpp"
#include "common/query/over_time_functions.hpp"
#include "common/query/rate_functions.hpp"
#include "common/query/time_functions.hpp"
#include "common/query/trend_functions.hpp"
#include "common/query/vector_functions.hpp"

namespace mc::query {
namespace {

struct NamedImpl {
  std::string_view name;
  FunctionImpl impl;
};

// In name order, for the binary search.
constexpr std::array kImpls = {
    NamedImpl{"abs", abs_function},
    NamedImpl{"absent", absent_function},
    NamedImpl{"acos", acos_function},
    NamedImpl{"acosh", acosh_function},
    NamedImpl{"asin", asin_function},
    NamedImpl{"asinh", asinh_function},
    NamedImpl{"atan", atan_function},
    NamedImpl{"atanh", atanh_function},
    NamedImpl{"avg_over_time", avg_over_time_function},
    NamedImpl{"ceil", ceil_function},
    NamedImpl{"changes", changes_function},
    NamedImpl{"clamp", clamp_function},
    NamedImpl{"clamp_max", clamp_max_function},
    NamedImpl{"clamp_min", clamp_min_function},
    NamedImpl{"cos", cos_function},
    NamedImpl{"cosh", cosh_function},
    NamedImpl{"count_over_time", count_over_time_function},
    NamedImpl{"day_of_month", day_of_month_function},
    NamedImpl{"day_of_week", day_of_week_function},
    NamedImpl{"day_of_year", day_of_year_function},
    NamedImpl{"days_in_month", days_in_month_function},
    NamedImpl{"deg", deg_function},
    NamedImpl{"delta", delta_function},
    NamedImpl{"deriv", deriv_function},
    NamedImpl{"exp", exp_function},
    NamedImpl{"floor", floor_function},
    NamedImpl{"histogram_count", histogram_count_function},
    NamedImpl{"histogram_fraction", histogram_fraction_function},
    NamedImpl{"histogram_quantile", histogram_quantile_function},
    NamedImpl{"histogram_sum", histogram_sum_function},
    NamedImpl{"holt_winters", holt_winters_function},
    NamedImpl{"hour", hour_function},
    NamedImpl{"idelta", idelta_function},
    NamedImpl{"increase", increase_function},
    NamedImpl{"irate", irate_function},
    NamedImpl{"label_join", label_join_function},
    NamedImpl{"label_replace", label_replace_function},
    NamedImpl{"last_over_time", last_over_time_function},
    NamedImpl{"ln", ln_function},
    NamedImpl{"log10", log10_function},
    NamedImpl{"log2", log2_function},
    NamedImpl{"max_over_time", max_over_time_function},
    NamedImpl{"min_over_time", min_over_time_function},
    NamedImpl{"minute", minute_function},
    NamedImpl{"month", month_function},
    NamedImpl{"pi", pi_function},
    NamedImpl{"predict_linear", predict_linear_function},
    NamedImpl{"present_over_time", present_over_time_function},
    NamedImpl{"quantile_over_time", quantile_over_time_function},
    NamedImpl{"rad", rad_function},
    NamedImpl{"rate", rate_function},
    NamedImpl{"resets", resets_function},
    NamedImpl{"round", round_function},
    NamedImpl{"scalar", scalar_function},
    NamedImpl{"sgn", sgn_function},
    NamedImpl{"sin", sin_function},
    NamedImpl{"sinh", sinh_function},
    NamedImpl{"sort", sort_function},
    NamedImpl{"sort_desc", sort_desc_function},
    NamedImpl{"sqrt", sqrt_function},
    NamedImpl{"stddev_over_time", stddev_over_time_function},
    NamedImpl{"stdvar_over_time", stdvar_over_time_function},
    NamedImpl{"sum_over_time", sum_over_time_function},
    NamedImpl{"tan", tan_function},
    NamedImpl{"tanh", tanh_function},
    NamedImpl{"time", time_function},
    NamedImpl{"timestamp", timestamp_function},
    NamedImpl{"vector", vector_function},
    NamedImpl{"year", year_function},
};

static_assert(std::is_sorted(kImpls.begin(), kImpls.end(),
                             [](const NamedImpl& a, const NamedImpl& b) {
                               return a.name < b.name;
                             }),
              "kImpls must stay in name order");

}  // namespace

FunctionImpl find_function_impl(std::string_view name) {
  const auto* const it = std::lower_bound(
      kImpls.begin(), kImpls.end(), name,
      [](const NamedImpl& entry, std::string_view wanted) { return entry.name < wanted; });
  if (it == kImpls.end() || it->name != name) return nullptr;
  return it->impl;
}

}  // namespace mc::query
