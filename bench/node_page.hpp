// The real node_exporter page of MC_SHARED_DIR/data and variants of it whose
// every value is scaled a little, for the benchmarks that scrape it
// (scrape_bench, exporter_bench): values change between scrapes, so nothing
// is cheaper than it would be against a live target.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace bench {

inline constexpr const char* kNodePagePath = MC_SHARED_DIR "/data/node_exporter-1.5.0-page.prom";

inline std::string read_whole_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// The page with every sample value multiplied by `factor`.
inline std::string scaled_page(const std::string& page, double factor) {
  std::istringstream lines(page);
  std::string line, out;
  while (std::getline(lines, line)) {
    if (!line.empty() && line[0] != '#') {
      auto space = line.rfind(' ');
      double value = std::strtod(line.c_str() + space + 1, nullptr);
      char number[32];
      std::snprintf(number, sizeof number, "%.17g", value * factor);
      line = line.substr(0, space + 1) + number;
    }
    out += line;
    out += '\n';
  }
  return out;
}

// `count` variants of the node page (the first unscaled); empty when the page
// is missing (../shared absent).
inline std::vector<std::string> node_page_variants(int count) {
  const std::string page = read_whole_file(kNodePagePath);
  std::vector<std::string> variants;
  if (page.empty()) return variants;
  for (int i = 0; i < count; ++i) variants.push_back(scaled_page(page, 1.0 + i * 1e-4));
  return variants;
}

}  // namespace bench
