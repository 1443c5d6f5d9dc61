// Column codec benchmarks on real scrape data: MC_SHARED_DIR/data/real-1s.om.zst
// (1,394 series scraped every second for 15 minutes, 1,254,600 samples), read
// with our OpenMetrics parser (allow_repeated_families, as promtool reads such
// a backfill file) and grouped by series, one column per series and kind.
//
// Printed once, and as counters: bytes/sample of the timestamp columns (per
// series, and with identical columns stored once, as the block writer will),
// of the value columns, the encodings chosen, and zstd (levels 3 and 19) over
// groups of ~64 KiB of value columns concatenated in series order.
//
//   BM_EncodeValues / BM_DecodeValues          every value column, samples/s
//   BM_EncodeTimestamps / BM_DecodeTimestamps  every timestamp column, samples/s
//   BM_DecodeGorillaValues                     every value column as Gorilla XOR
//                                              (the floats a query decodes most)
//
// Run: build-codecs/bench/column_bench --benchmark_repetitions=3
//      --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/exposition/parser.hpp"
#include "common/store/columnar/column_codec.hpp"
#include "common/store/columnar/gorilla_values.hpp"

namespace {

namespace columnar = mc::columnar;

struct Series {
  std::string id;  // name{labels} as written
  std::vector<int64_t> timestamps;
  std::vector<double> values;
};

struct Dataset {
  std::vector<Series> series;  // sorted by id: label order, roughly
  size_t samples = 0;
};

class GroupingHandler : public mc::ExpositionHandler {
 public:
  void on_family(const mc::FamilyView&) override {}
  void on_sample(const mc::SampleView& sample) override {
    auto [it, inserted] = index_.try_emplace(std::string(sample.series_id), series_.size());
    if (inserted) series_.push_back({std::string(sample.series_id), {}, {}});
    Series& s = series_[it->second];
    s.timestamps.push_back(sample.timestamp_ms.value_or(0));
    s.values.push_back(sample.value);
  }
  std::vector<Series> take() { return std::move(series_); }

 private:
  std::unordered_map<std::string, size_t> index_;
  std::vector<Series> series_;
};

std::optional<std::string> decompress(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  const std::string compressed((std::istreambuf_iterator<char>(file)),
                               std::istreambuf_iterator<char>());
  std::string out;
  ZSTD_DCtx* context = ZSTD_createDCtx();
  std::vector<char> buffer(ZSTD_DStreamOutSize());
  ZSTD_inBuffer input{compressed.data(), compressed.size(), 0};
  while (input.pos < input.size) {
    ZSTD_outBuffer output{buffer.data(), buffer.size(), 0};
    const size_t status = ZSTD_decompressStream(context, &output, &input);
    if (ZSTD_isError(status)) {
      ZSTD_freeDCtx(context);
      return std::nullopt;
    }
    out.append(buffer.data(), output.pos);
  }
  ZSTD_freeDCtx(context);
  return out;
}

const Dataset* dataset() {
  static const std::optional<Dataset> data = []() -> std::optional<Dataset> {
    const auto text = decompress(MC_SHARED_DIR "/data/real-1s.om.zst");
    if (!text) return std::nullopt;
    GroupingHandler handler;
    mc::ParseOptions options;
    options.allow_repeated_families = true;
    const mc::Status status =
        mc::parse_exposition(*text, mc::ExpositionFormat::openmetrics, handler, options);
    if (!status) {
      std::fprintf(stderr, "parse failed: %s\n", status.message().c_str());
      return std::nullopt;
    }
    Dataset d;
    d.series = handler.take();
    std::sort(d.series.begin(), d.series.end(),
              [](const Series& a, const Series& b) { return a.id < b.id; });
    for (const auto& s : d.series) d.samples += s.values.size();
    std::fprintf(stderr, "dataset: %zu series, %zu samples\n", d.series.size(), d.samples);
    return d;
  }();
  return data ? &*data : nullptr;
}

size_t zstd_size(const std::vector<uint8_t>& bytes, int level) {
  std::vector<uint8_t> out(ZSTD_compressBound(bytes.size()));
  return ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), level);
}

struct Figures {
  double timestamp_per_series = 0;  // bytes/sample
  double timestamp_shared = 0;
  double values = 0;
  double values_zstd3 = 0;  // each group: the smaller of raw and zstd
  double values_zstd19 = 0;
  double total_zstd19 = 0;  // shared timestamps + values with zstd 19
};

const Figures& figures(const Dataset& d) {
  static const Figures f = [&] {
    Figures r;
    std::map<std::string, int> histogram;
    std::map<std::string, size_t> encoding_bytes;
    size_t timestamp_bytes = 0;
    size_t shared_timestamp_bytes = 0;
    std::map<std::vector<int64_t>, size_t> distinct_timestamps;
    size_t value_bytes = 0;
    size_t zstd3 = 0;
    size_t zstd19 = 0;
    std::vector<uint8_t> group;
    auto flush = [&] {
      if (group.empty()) return;
      zstd3 += std::min(group.size(), zstd_size(group, 3));
      zstd19 += std::min(group.size(), zstd_size(group, 19));
      group.clear();
    };
    for (const auto& s : d.series) {
      std::vector<uint8_t> column;
      columnar::encode_timestamps(s.timestamps, column);
      timestamp_bytes += column.size();
      const char* timestamp_name =
          columnar::column_encoding_name(columnar::describe_column(column)->encoding);
      ++histogram[timestamp_name];
      encoding_bytes[timestamp_name] += column.size();
      if (distinct_timestamps.emplace(s.timestamps, column.size()).second) {
        shared_timestamp_bytes += column.size();
      }
      column.clear();
      columnar::encode_values(s.values, column);
      value_bytes += column.size();
      const char* name =
          columnar::column_encoding_name(columnar::describe_column(column)->encoding);
      ++histogram[name];
      encoding_bytes[name] += column.size();
      group.insert(group.end(), column.begin(), column.end());
      if (group.size() >= 64 * 1024) flush();
    }
    flush();
    const double n = static_cast<double>(d.samples);
    r.timestamp_per_series = static_cast<double>(timestamp_bytes) / n;
    r.timestamp_shared = static_cast<double>(shared_timestamp_bytes) / n;
    r.values = static_cast<double>(value_bytes) / n;
    r.values_zstd3 = static_cast<double>(zstd3) / n;
    r.values_zstd19 = static_cast<double>(zstd19) / n;
    r.total_zstd19 = r.timestamp_shared + r.values_zstd19;
    std::fprintf(stderr, "\n%-44s %10s\n", "columns of real-1s.om", "bytes/sample");
    std::fprintf(stderr, "%-44s %10.4f\n", "timestamps, one column per series",
                 r.timestamp_per_series);
    std::fprintf(stderr, "%-44s %10.4f  (%zu distinct columns)\n",
                 "timestamps, identical columns once", r.timestamp_shared,
                 distinct_timestamps.size());
    std::fprintf(stderr, "%-44s %10.4f\n", "values", r.values);
    std::fprintf(stderr, "%-44s %10.4f\n", "values, zstd -3 per ~64 KiB group", r.values_zstd3);
    std::fprintf(stderr, "%-44s %10.4f\n", "values, zstd -19 per ~64 KiB group", r.values_zstd19);
    std::fprintf(stderr, "%-44s %10.4f\n", "shared timestamps + values zstd -19", r.total_zstd19);
    std::fprintf(stderr, "encodings chosen:  %-24s %7s %10s\n", "", "columns", "bytes");
    for (const auto& [name, count] : histogram) {
      std::fprintf(stderr, "  %-40s %7d %10zu\n", name.c_str(), count, encoding_bytes[name]);
    }
    std::fprintf(stderr, "\n");
    return r;
  }();
  return f;
}

void add_figures(benchmark::State& state, const Dataset& d) {
  const Figures& f = figures(d);
  state.counters["ts_B_per_sample"] = f.timestamp_per_series;
  state.counters["ts_shared_B_per_sample"] = f.timestamp_shared;
  state.counters["values_B_per_sample"] = f.values;
  state.counters["values_zstd3_B_per_sample"] = f.values_zstd3;
  state.counters["values_zstd19_B_per_sample"] = f.values_zstd19;
}

void BM_EncodeValues(benchmark::State& state) {
  const Dataset* d = dataset();
  if (!d) return state.SkipWithError(MC_SHARED_DIR "/data/real-1s.om.zst not found or unreadable");
  std::vector<uint8_t> out;
  for (auto _ : state) {
    out.clear();
    for (const auto& s : d->series) columnar::encode_values(s.values, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * d->samples));
  add_figures(state, *d);
}
BENCHMARK(BM_EncodeValues)->Unit(benchmark::kMillisecond);

void BM_DecodeValues(benchmark::State& state) {
  const Dataset* d = dataset();
  if (!d) return state.SkipWithError(MC_SHARED_DIR "/data/real-1s.om.zst not found or unreadable");
  std::vector<std::vector<uint8_t>> columns(d->series.size());
  for (size_t i = 0; i < columns.size(); ++i)
    columnar::encode_values(d->series[i].values, columns[i]);
  std::vector<double> out;
  for (auto _ : state) {
    for (const auto& column : columns) {
      out.clear();
      if (!columnar::decode_values(column, out)) return state.SkipWithError("decode failed");
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * d->samples));
}
BENCHMARK(BM_DecodeValues)->Unit(benchmark::kMillisecond);

void BM_DecodeGorillaValues(benchmark::State& state) {
  const Dataset* d = dataset();
  if (!d) return state.SkipWithError(MC_SHARED_DIR "/data/real-1s.om.zst not found or unreadable");
  std::vector<std::vector<uint8_t>> columns(d->series.size());
  for (size_t i = 0; i < columns.size(); ++i)
    columnar::encode_gorilla_values(d->series[i].values, columns[i]);
  std::vector<double> out;
  for (auto _ : state) {
    for (size_t i = 0; i < columns.size(); ++i) {
      out.resize(d->series[i].values.size());
      mc::ByteReader reader(columns[i]);
      if (!columnar::decode_gorilla_values(reader, out))
        return state.SkipWithError("decode failed");
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * d->samples));
}
BENCHMARK(BM_DecodeGorillaValues)->Unit(benchmark::kMillisecond);

void BM_EncodeTimestamps(benchmark::State& state) {
  const Dataset* d = dataset();
  if (!d) return state.SkipWithError(MC_SHARED_DIR "/data/real-1s.om.zst not found or unreadable");
  std::vector<uint8_t> out;
  for (auto _ : state) {
    out.clear();
    for (const auto& s : d->series) columnar::encode_timestamps(s.timestamps, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * d->samples));
}
BENCHMARK(BM_EncodeTimestamps)->Unit(benchmark::kMillisecond);

void BM_DecodeTimestamps(benchmark::State& state) {
  const Dataset* d = dataset();
  if (!d) return state.SkipWithError(MC_SHARED_DIR "/data/real-1s.om.zst not found or unreadable");
  std::vector<std::vector<uint8_t>> columns(d->series.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    columnar::encode_timestamps(d->series[i].timestamps, columns[i]);
  }
  std::vector<int64_t> out;
  for (auto _ : state) {
    for (const auto& column : columns) {
      out.clear();
      if (!columnar::decode_timestamps(column, out)) return state.SkipWithError("decode failed");
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * d->samples));
}
BENCHMARK(BM_DecodeTimestamps)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
