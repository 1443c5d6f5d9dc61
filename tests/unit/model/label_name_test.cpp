// The shared metric and label name rules (common/model/label_name.hpp), which
// the config loader and the exposition parsers both apply.
#include "common/model/label_name.hpp"

#include <catch2/catch.hpp>
#include <initializer_list>
#include <string_view>

TEST_CASE("label names follow [a-zA-Z_][a-zA-Z0-9_]*", "[label_name]") {
  for (std::string_view name : {"a", "_", "job", "Job_2", "__name__", "_9", "ABC"}) {
    INFO(name);
    CHECK(mc::is_valid_label_name(name));
  }
  for (std::string_view name : {"", "9a", "a-b", "a.b", "a b", "ä", "a:b", "a\n"}) {
    INFO(name);
    CHECK_FALSE(mc::is_valid_label_name(name));
  }
}

TEST_CASE("metric names follow [a-zA-Z_:][a-zA-Z0-9_:]*", "[label_name]") {
  for (std::string_view name : {"up", "a:b", ":x", "_", "http_requests_total", "job:rate5m"}) {
    INFO(name);
    CHECK(mc::is_valid_metric_name(name));
  }
  for (std::string_view name : std::initializer_list<std::string_view>{
           "", "1up", "a-b", "a.b", "a b", "é", std::string_view("a\0b", 3)}) {
    INFO(name);
    CHECK_FALSE(mc::is_valid_metric_name(name));
  }
}
