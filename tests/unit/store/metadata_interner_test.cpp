#include "common/store/metadata_interner.hpp"

#include <catch2/catch.hpp>

using mc::MetadataInterner;
using mc::MetricMetadata;
using mc::MetricType;

TEST_CASE("equal metadata is interned once, different metadata apart", "[store][metadata]") {
  MetadataInterner interner;
  const MetricMetadata http{"http_requests", MetricType::counter, "Requests served.", ""};
  const MetricMetadata* first = interner.intern(http);
  const MetricMetadata* second = interner.intern(MetricMetadata(http));
  REQUIRE(first == second);
  REQUIRE(*first == http);

  MetricMetadata other_help = http;
  other_help.help = "Requests.";
  MetricMetadata other_type = http;
  other_type.type = MetricType::gauge;
  MetricMetadata other_unit = http;
  other_unit.unit = "requests";
  REQUIRE(interner.intern(other_help) != first);
  REQUIRE(interner.intern(other_type) != first);
  REQUIRE(interner.intern(other_unit) != first);
  REQUIRE(interner.size() == 4);
  REQUIRE(first->help == "Requests served.");  // pointers survive growth
}
