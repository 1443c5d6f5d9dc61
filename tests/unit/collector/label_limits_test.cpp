#include "collector/scrape/label_limits.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace mc {
namespace {

const Labels kSeries{{"__name__", "http_requests_total"},
                     {"instance", "a:1"},
                     {"job", "app"},
                     {"path", "/api/v1/users"}};

TEST_CASE("no limits, or limits met, is no violation", "[label_limits]") {
  CHECK_FALSE(label_limits_violation(kSeries, LabelLimits{}));
  CHECK_FALSE(label_limits_violation(kSeries, LabelLimits{4, 8, 19}));
}

TEST_CASE("each label limit is worded as Prometheus words it", "[label_limits]") {
  CHECK(label_limits_violation(kSeries, LabelLimits{3, 0, 0}) ==
        "label_limit exceeded (metric: http_requests_total, number of labels: 4, limit: 3)");
  CHECK(label_limits_violation(kSeries, LabelLimits{0, 7, 0}) ==
        "label_name_length_limit exceeded (metric: http_requests_total, label name: __name__, "
        "length: 8, limit: 7)");
  CHECK(label_limits_violation(kSeries, LabelLimits{0, 0, 12}) ==
        "label_value_length_limit exceeded (metric: http_requests_total, label name: __name__, "
        "value: \"http_requests_total\", length: 19, limit: 12)");
}

TEST_CASE("long names and values are cut to 50 characters in the message", "[label_limits]") {
  Labels series{{"__name__", "m"}, {"v", std::string(300, 'x')}};
  auto violation = label_limits_violation(series, LabelLimits{0, 0, 100});
  REQUIRE(violation);
  CHECK_THAT(*violation, Catch::Contains("value: \"" + std::string(50, 'x') + "\", length: 300"));
}

}  // namespace
}  // namespace mc
