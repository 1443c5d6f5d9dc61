// The cases of tests/data/exposition_fidelity/: one text 0.0.4 page per file,
// and verdicts.tsv, what the real promtool 2.42 and Prometheus 2.42's scraper
// did with each (measured by record_verdicts.py there). Shared by the unit
// test (our check and our parser against the verdicts) and the integration
// test (the binary and the daemon against them).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace mc::test {

struct FidelityCase {
  std::string file;              // e.g. "003-negative-timestamp.prom"
  bool promtool_passes = false;  // exit 0 or 3 (lint only); false: exit 1
  bool prometheus_up = false;    // Prometheus 2.42's `up` for a target serving it
  int prometheus_samples_scraped = 0;
  int prometheus_series_stored = 0;  // series of the page Prometheus stored
  std::string promtool_error;        // "-" when none
  std::string prometheus_error;      // the target's lastError, "-" when none
  std::string note;
};

std::filesystem::path fidelity_case_dir();
// Throws std::runtime_error when verdicts.tsv is missing or malformed.
std::vector<FidelityCase> load_fidelity_cases();
std::string read_fidelity_case(const FidelityCase& fidelity_case);

}  // namespace mc::test
