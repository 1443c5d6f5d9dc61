#include "collector/scrape/sample_labels.hpp"

#include <catch2/catch.hpp>
#include <vector>

namespace mc {
namespace {

const Labels kTarget{{"instance", "host:9100"}, {"job", "node"}};

TEST_CASE("target labels are added to an exposed sample", "[sample_labels]") {
  std::vector<LabelView> exposed = {{"cpu", "0"}};
  auto labels = build_sample_labels("node_cpu_seconds_total", exposed, kTarget, false);
  CHECK(labels == Labels{{"__name__", "node_cpu_seconds_total"},
                         {"cpu", "0"},
                         {"instance", "host:9100"},
                         {"job", "node"}});
}

TEST_CASE("without honor_labels a conflicting exposed label moves to exported_",
          "[sample_labels]") {
  std::vector<LabelView> exposed = {{"job", "app"}, {"instance", "pod-1"}};
  auto labels = build_sample_labels("m", exposed, kTarget, false);
  CHECK(labels == Labels{{"__name__", "m"},
                         {"exported_instance", "pod-1"},
                         {"exported_job", "app"},
                         {"instance", "host:9100"},
                         {"job", "node"}});
}

TEST_CASE("exported_ prefixes repeat until the name is free", "[sample_labels]") {
  std::vector<LabelView> exposed = {{"job", "app"}, {"exported_job", "older"}};
  auto labels = build_sample_labels("m", exposed, kTarget, false);
  CHECK(labels.get("job") == "node");
  CHECK(labels.get("exported_job") == "older");
  CHECK(labels.get("exported_exported_job") == "app");
}

TEST_CASE("with honor_labels the exposed label wins", "[sample_labels]") {
  std::vector<LabelView> exposed = {{"job", "app"}};
  auto labels = build_sample_labels("m", exposed, kTarget, true);
  CHECK(labels == Labels{{"__name__", "m"}, {"instance", "host:9100"}, {"job", "app"}});
}

TEST_CASE("empty exposed label values are dropped", "[sample_labels]") {
  std::vector<LabelView> exposed = {{"a", ""}, {"b", "x"}};
  auto labels = build_sample_labels("m", exposed, kTarget, false);
  CHECK_FALSE(labels.has("a"));
  CHECK(labels.get("b") == "x");
  // An empty exposed job does not count as a conflict under honor_labels either.
  std::vector<LabelView> empty_job = {{"job", ""}};
  CHECK(build_sample_labels("m", empty_job, kTarget, true).get("job") == "node");
}

}  // namespace
}  // namespace mc
