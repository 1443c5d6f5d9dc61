// The real benchmark dataset, MC_SHARED_DIR/data/real-1s.om.zst (1,394 series
// scraped every second for 15 minutes, 1,254,600 samples), loaded once per
// benchmark process for the store benchmarks (chunk_bench, block_bench).
//
// The file is read with a minimal line splitter (`name{labels} value timestamp`,
// comments skipped) rather than the OpenMetrics parser, so these benchmarks
// measure the store alone and do not depend on the parser's progress.
#pragma once

#include <zstd.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/sample_value.hpp"

namespace bench {

struct Row {
  uint32_t series;
  int64_t t_ms;
  double v;
};

struct Dataset {
  std::string text;  // decompressed file; series ids point into it
  std::vector<mc::Labels> labels;
  std::vector<Row> rows;  // in file order: scrape after scrape
  std::vector<std::vector<mc::Sample>> per_series;
};

inline std::string decompress(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot open " + path);
  const std::string compressed((std::istreambuf_iterator<char>(file)),
                               std::istreambuf_iterator<char>());
  std::string out;
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> context(ZSTD_createDCtx(), ZSTD_freeDCtx);
  std::vector<char> buffer(ZSTD_DStreamOutSize());
  ZSTD_inBuffer input{compressed.data(), compressed.size(), 0};
  while (input.pos < input.size) {
    ZSTD_outBuffer output{buffer.data(), buffer.size(), 0};
    const size_t status = ZSTD_decompressStream(context.get(), &output, &input);
    if (ZSTD_isError(status)) throw std::runtime_error(ZSTD_getErrorName(status));
    out.append(buffer.data(), output.pos);
  }
  return out;
}

inline double parse_value(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw std::runtime_error("bad value: " + std::string(text));
  }
  return value;
}

// "1795418784.250" seconds -> 1795418784250 ms, exactly.
inline int64_t parse_timestamp_ms(std::string_view text) {
  const size_t dot = text.find('.');
  int64_t seconds = 0;
  std::from_chars(text.data(), text.data() + std::min(dot, text.size()), seconds);
  int64_t millis = 0;
  if (dot != std::string_view::npos) {
    std::string fraction(text.substr(dot + 1, 3));
    fraction.resize(3, '0');
    std::from_chars(fraction.data(), fraction.data() + 3, millis);
  }
  return seconds * 1000 + millis;
}

inline mc::Labels parse_series(std::string_view id) {
  std::vector<mc::Label> labels;
  const size_t brace = id.find('{');
  labels.push_back({"__name__", std::string(id.substr(0, brace))});
  size_t i = brace == std::string_view::npos ? id.size() : brace + 1;
  while (i < id.size() && id[i] != '}') {
    const size_t eq = id.find('=', i);
    std::string name(id.substr(i, eq - i));
    std::string value;
    for (i = eq + 2; id[i] != '"'; ++i) {
      if (id[i] == '\\') {
        ++i;
        value += id[i] == 'n' ? '\n' : id[i];
      } else {
        value += id[i];
      }
    }
    ++i;  // closing quote
    if (i < id.size() && id[i] == ',') ++i;
    labels.push_back({std::move(name), std::move(value)});
  }
  return mc::Labels(std::move(labels));
}

inline const Dataset& dataset() {
  static const Dataset data = [] {
    Dataset d;
    d.text = decompress(std::string(MC_SHARED_DIR) + "/data/real-1s.om.zst");
    std::unordered_map<std::string_view, uint32_t> index;
    std::string_view rest = d.text;
    while (!rest.empty()) {
      const size_t newline = rest.find('\n');
      std::string_view line = rest.substr(0, newline);
      rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
      if (line.empty() || line.front() == '#') continue;
      const size_t last_space = line.rfind(' ');
      const size_t value_space = line.rfind(' ', last_space - 1);
      const std::string_view id = line.substr(0, value_space);
      auto [it, inserted] = index.try_emplace(id, static_cast<uint32_t>(d.labels.size()));
      if (inserted) {
        d.labels.push_back(parse_series(id));
        d.per_series.emplace_back();
      }
      const Row row{it->second, parse_timestamp_ms(line.substr(last_space + 1)),
                    parse_value(line.substr(value_space + 1, last_space - value_space - 1))};
      d.rows.push_back(row);
      d.per_series[row.series].push_back({row.t_ms, row.v});
    }
    std::fprintf(stderr, "dataset: %zu series, %zu samples\n", d.labels.size(), d.rows.size());
    return d;
  }();
  return data;
}

}  // namespace bench
