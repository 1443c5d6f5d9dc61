#include "tests/support/exposition_fidelity_cases.hpp"

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace mc::test {

std::filesystem::path fidelity_case_dir() {
  return std::filesystem::path(MC_SOURCE_DIR) / "tests/data/exposition_fidelity";
}

std::vector<FidelityCase> load_fidelity_cases() {
  const std::filesystem::path manifest = fidelity_case_dir() / "verdicts.tsv";
  std::ifstream in(manifest);
  if (!in) throw std::runtime_error("cannot read " + manifest.string());
  std::vector<FidelityCase> cases;
  int line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::istringstream split(line);
    for (std::string field; std::getline(split, field, '\t');) fields.push_back(field);
    auto bad = [&](const std::string& why) {
      return std::runtime_error(manifest.string() + ":" + std::to_string(line_number) + ": " + why);
    };
    if (fields.size() != 8) throw bad("want 8 tab-separated fields");
    if (fields[1] != "pass" && fields[1] != "fail") throw bad("promtool verdict is pass or fail");
    if (fields[2] != "0" && fields[2] != "1") throw bad("prometheus_up is 0 or 1");
    cases.push_back(FidelityCase{.file = fields[0],
                                 .promtool_passes = fields[1] == "pass",
                                 .prometheus_up = fields[2] == "1",
                                 .prometheus_samples_scraped = std::stoi(fields[3]),
                                 .prometheus_series_stored = std::stoi(fields[4]),
                                 .promtool_error = fields[5],
                                 .prometheus_error = fields[6],
                                 .note = fields[7]});
  }
  return cases;
}

std::string read_fidelity_case(const FidelityCase& fidelity_case) {
  std::ifstream in(fidelity_case_dir() / fidelity_case.file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + fidelity_case.file);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace mc::test
