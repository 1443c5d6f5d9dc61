// Every shipped config must load: the examples, and the config inside the
// Kubernetes sidecar manifest.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc::test {
namespace {

TEST_CASE("every example config passes check config", "[examples]") {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(MC_SOURCE_DIR "/examples")) {
    if (entry.path().extension() == ".yml") files.push_back(entry.path().string());
  }
  REQUIRE_FALSE(files.empty());
  for (const auto& file : files) {
    // check config resolves DSNs as the daemon does; the examples' variable
    // gets a DSN that parses (nothing connects to it).
    auto result = run_program({"/usr/bin/env", "DATABASE_URL=postgresql://metrics@127.0.0.1/app",
                               MC_DAEMON_BINARY, "check", "config", file});
    INFO(result.output);
    CHECK(result.exit_status == 0);
    CHECK_THAT(result.output, Catch::StartsWith("SUCCESS: " + file));
  }
}

TEST_CASE("check config names the file, line and column of a bad config", "[examples]") {
  TempDir dir;
  auto good = dir.write_file("good.yml", "scrape_configs: []\n");
  auto bad = dir.write_file("bad.yml", "global:\n  scrape_interval: soon\n");
  auto result = run_program({MC_DAEMON_BINARY, "check", "config", good.string(), bad.string()});
  CHECK(result.exit_status == 2);  // the daemon's status for a bad config
  CHECK_THAT(result.output, Catch::Contains("SUCCESS: " + good.string()));
  CHECK_THAT(result.output, Catch::Contains("FAILED: " + bad.string() + ":2:20"));
}

TEST_CASE("the sidecar manifest's embedded config loads", "[examples]") {
  // The config is the block scalar under `metrics-collector.yml: |` in the
  // ConfigMap; take its indented lines back out.
  std::ifstream manifest(MC_SOURCE_DIR "/deploy/kubernetes/sidecar.yaml");
  REQUIRE(manifest);
  std::string line, config;
  bool inside = false;
  size_t indent = 0;
  while (std::getline(manifest, line)) {
    if (line.find("metrics-collector.yml: |") != std::string::npos) {
      inside = true;
      indent = 0;
      continue;
    }
    if (!inside) continue;
    if (line == "---") break;
    size_t first = line.find_first_not_of(' ');
    if (indent == 0) indent = first;
    if (first == std::string::npos || first < indent) break;
    config += line.substr(indent) + "\n";
  }
  REQUIRE_FALSE(config.empty());
  TempDir dir;
  auto file = dir.write_file("sidecar.yml", config);
  auto result = run_program({MC_DAEMON_BINARY, "check", "config", file.string()});
  INFO(config);
  INFO(result.output);
  CHECK(result.exit_status == 0);
}

}  // namespace
}  // namespace mc::test
