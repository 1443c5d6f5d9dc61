// Diagnostics: a document's errors kept once each and given back in file
// order; closest_key: the known key a typo meant, and none for another word.
#include "common/config/diagnostics.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "common/config/closest_key.hpp"

TEST_CASE("diagnostics: errors come back once each, in line and column order", "[config]") {
  mc::Diagnostics diagnostics("a.yml");
  CHECK_FALSE(diagnostics.has_errors());
  CHECK(diagnostics.errors().is_ok());
  diagnostics.add_error(mc::Status::error("a.yml:10:3: late"));
  diagnostics.add_error(mc::Status::error("a.yml:2:15: second on line 2"));
  diagnostics.add_error(mc::Status::error("a.yml:2:3: first on line 2"));
  diagnostics.add_error(mc::Status::error("a.yml:10:3: late"));  // reported again by a caller
  diagnostics.add_error(mc::Status::error("a.yml: no position"));
  REQUIRE(diagnostics.has_errors());
  CHECK(diagnostics.errors().message() ==
        "a.yml: no position\n"
        "a.yml:2:3: first on line 2\n"
        "a.yml:2:15: second on line 2\n"
        "a.yml:10:3: late");
}

TEST_CASE("diagnostics: warnings come back in file order and are not errors", "[config]") {
  mc::Diagnostics diagnostics("a.yml");
  diagnostics.add_warning("a.yml:7:1: b");
  diagnostics.add_warning("a.yml:3:1: a");
  CHECK_FALSE(diagnostics.has_errors());
  CHECK(diagnostics.warnings() == std::vector<std::string>{"a.yml:3:1: a", "a.yml:7:1: b"});
}

TEST_CASE("closest_key: slips find their key, other words find none", "[config]") {
  const std::vector<std::string_view> keys = {"scrape_interval", "scrape_timeout", "targets",
                                              "job_name", "sql"};
  CHECK(mc::closest_key("scrape_intervall", keys) == "scrape_interval");  // insertion
  CHECK(mc::closest_key("scrape_timout", keys) == "scrape_timeout");      // deletion
  CHECK(mc::closest_key("jbo_name", keys) == "job_name");                 // swap
  CHECK(mc::closest_key("target", keys) == "targets");
  CHECK(mc::closest_key("sq", keys) == "sql");
  CHECK_FALSE(mc::closest_key("s", keys).has_value());  // short: one slip at most
  CHECK_FALSE(mc::closest_key("external_labels", keys).has_value());
  CHECK_FALSE(mc::closest_key("anything", {}).has_value());
}
