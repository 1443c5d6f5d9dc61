// fuzz_seed_writer: writes the binary seed inputs of the fuzz targets (chunks,
// columns, WAL payloads and logs, a block's index and meta.json) from our own
// encoders, so the fuzzers start from valid files and mutate from there.
// The text seeds (exposition pages, configs, headers) are copied by hand.
//
//   fuzz_seed_writer <tests/fuzz/corpus>
//
// Its output is committed; run it again when a format changes.
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "common/model/sample_value.hpp"
#include "common/store/block/block_writer.hpp"
#include "common/store/chunkenc/chunk.hpp"
#include "common/store/columnar/column_codec.hpp"
#include "common/store/wal/wal_record.hpp"

namespace {

namespace fs = std::filesystem;

struct Series {
  std::string name;
  std::vector<int64_t> timestamps;
  std::vector<double> values;
};

// Series shaped as real scrapes give them, and the extremes.
std::vector<Series> sample_series() {
  std::vector<Series> all;
  Series regular{"regular_gauge", {}, {}};
  for (int i = 0; i < 120; ++i) {
    regular.timestamps.push_back(1'700'000'000'000 + i * 15'000);
    regular.values.push_back(20.5 + (i % 7) * 0.25);
  }
  all.push_back(regular);
  Series counter{"jittered_counter", {}, {}};
  for (int i = 0; i < 90; ++i) {
    counter.timestamps.push_back(1'700'000'000'000 + i * 15'000 + (i * 37 % 11) - 5);
    counter.values.push_back(1000.0 + i * 3);
  }
  all.push_back(counter);
  Series odd{"odd_values", {}, {}};
  const double odd_values[] = {0.0,
                               -0.0,
                               std::numeric_limits<double>::infinity(),
                               -std::numeric_limits<double>::infinity(),
                               std::nan(""),
                               mc::stale_nan(),
                               std::numeric_limits<double>::denorm_min(),
                               std::numeric_limits<double>::max(),
                               1e-300,
                               0.1};
  int64_t t = std::numeric_limits<int64_t>::min() / 2;
  for (const double v : odd_values) {
    odd.timestamps.push_back(t);
    odd.values.push_back(v);
    t += 1'000'000'007;
  }
  all.push_back(odd);
  all.push_back(Series{"single", {42}, {1.0}});
  return all;
}

void write(const fs::path& path, std::span<const uint8_t> bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

void write_chunks(const fs::path& corpus, const std::vector<Series>& all) {
  for (const Series& series : all) {
    auto chunk = mc::chunkenc::new_chunk(mc::chunkenc::ChunkEncoding::xor_gorilla);
    auto appender = chunk->appender();
    for (size_t i = 0; i < series.timestamps.size(); ++i) {
      (*appender)->append(series.timestamps[i], series.values[i]);
    }
    write(corpus / "xor_chunk_decode" / (series.name + ".chunk"), chunk->bytes());
  }
  auto empty = mc::chunkenc::new_chunk(mc::chunkenc::ChunkEncoding::xor_gorilla);
  write(corpus / "xor_chunk_decode" / "empty.chunk", empty->bytes());
}

void write_columns(const fs::path& corpus, const std::vector<Series>& all) {
  for (const Series& series : all) {
    for (const auto encoding : mc::columnar::kTimestampEncodings) {
      std::vector<uint8_t> column;
      if (mc::columnar::encode_timestamps_as(encoding, series.timestamps, column)) {
        write(corpus / "column_decode" /
                  (series.name + "." + mc::columnar::column_encoding_name(encoding)),
              column);
      }
    }
    for (const auto encoding : mc::columnar::kValueEncodings) {
      std::vector<uint8_t> column;
      if (mc::columnar::encode_values_as(encoding, series.values, column)) {
        write(corpus / "column_decode" /
                  (series.name + "." + mc::columnar::column_encoding_name(encoding)),
              column);
      }
    }
  }
}

// Inputs of the generator in sample_generator.hpp: first time and value, then
// a mode byte per sample (and the bytes the mode reads).
void write_generator_inputs(const fs::path& corpus) {
  auto u64_bytes = [](std::vector<uint8_t>& out, uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
  };
  std::vector<std::vector<uint8_t>> inputs;
  {  // a regular gauge: same step, small decimals
    std::vector<uint8_t> in{7};
    u64_bytes(in, 1'700'000'000'000);
    u64_bytes(in, std::bit_cast<uint64_t>(21.5));
    for (int i = 0; i < 100; ++i) {
      in.push_back(0x0c);  // same step, decimal value
      in.push_back(static_cast<uint8_t>(i * 13));
      in.push_back(0);
    }
    inputs.push_back(in);
  }
  {  // a jittered counter
    std::vector<uint8_t> in{1};
    u64_bytes(in, 1'700'000'000'000);
    u64_bytes(in, 0);
    for (int i = 0; i < 100; ++i) {
      in.push_back(0x05);  // jittered step, counter step
      in.push_back(static_cast<uint8_t>((i * 7) % 9 - 4));
      in.push_back(static_cast<uint8_t>(i % 5));
    }
    inputs.push_back(in);
  }
  {  // extremes: huge steps, raw value bits
    std::vector<uint8_t> in{2};
    u64_bytes(in, static_cast<uint64_t>(std::numeric_limits<int64_t>::min()));
    u64_bytes(in, mc::kStaleNaNBits);
    for (const uint64_t step : {uint64_t{1} << 62, uint64_t{0}, ~uint64_t{0}, uint64_t{1}}) {
      in.push_back(0x0a);  // any step, any bits
      u64_bytes(in, step);
      u64_bytes(in, step ^ 0x7ff8000000000001ULL);
    }
    inputs.push_back(in);
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    for (const char* target : {"xor_chunk_round_trip", "column_round_trip"}) {
      write(corpus / target / ("series-" + std::to_string(i)), inputs[i]);
    }
  }
}

void write_wal(const fs::path& corpus) {
  std::vector<uint8_t> series_payload;
  {
    mc::ByteWriter writer(series_payload);
    mc::encode_wal_series_entry(writer, 1,
                                mc::Labels({{"__name__", "up"}, {"job", "node"}, {"le", "0.5"}}));
    mc::encode_wal_series_entry(writer, 7, mc::Labels({{"__name__", "x"}}));
  }
  std::vector<uint8_t> metadata_payload;
  {
    mc::ByteWriter writer(metadata_payload);
    mc::encode_wal_metadata_entry(writer, 1,
                                  mc::MetricMetadata{"up", mc::MetricType::gauge, "Up.", ""});
  }
  std::vector<uint8_t> samples_payload;
  {
    mc::ByteWriter writer(samples_payload);
    const mc::WalSample base{1, 1'700'000'000'000, 1.0};
    mc::encode_wal_first_sample(writer, base);
    mc::encode_wal_next_sample(writer, base, {7, 1'700'000'000'000, mc::stale_nan()});
    mc::encode_wal_next_sample(writer, base, {3, 1'700'000'015'000, -0.0});
  }
  write(corpus / "wal_record_decode" / "series", series_payload);
  write(corpus / "wal_record_decode" / "metadata", metadata_payload);
  write(corpus / "wal_record_decode" / "samples", samples_payload);

  // wal_replay's commands: 0/1/2 a record of type series/metadata/samples with
  // a 16-bit little-endian payload length, 4 the next segment.
  auto record = [](std::vector<uint8_t>& out, uint8_t command,
                   const std::vector<uint8_t>& payload) {
    out.push_back(command);
    out.push_back(static_cast<uint8_t>(payload.size()));
    out.push_back(static_cast<uint8_t>(payload.size() >> 8));
    out.insert(out.end(), payload.begin(), payload.end());
  };
  for (const uint8_t checkpoint : {0, 1}) {
    std::vector<uint8_t> log{checkpoint};
    record(log, 0, series_payload);
    record(log, 1, metadata_payload);
    record(log, 2, samples_payload);
    log.push_back(4);
    record(log, 2, samples_payload);
    record(log, 2, samples_payload);
    write(corpus / "wal_replay" / (checkpoint ? "checkpoint-and-segment" : "two-segments"), log);
  }
}

int write_block(const fs::path& corpus) {
  const fs::path scratch = fs::temp_directory_path() / "mc-fuzz-seed-block";
  fs::remove_all(scratch);
  fs::create_directories(scratch);
  mc::block::BlockMeta meta;
  meta.min_time = 1'700'000'000'000;
  meta.max_time = 1'700'000'000'000 + 200 * 15'000;
  auto writer = mc::block::BlockWriter::create(
      scratch.string(), meta, {.group_target_bytes = 256, .max_chunk_samples = 50});
  if (!writer) {
    std::fprintf(stderr, "fuzz_seed_writer: %s\n", writer.error().c_str());
    return 1;
  }
  const mc::MetricMetadata metadata{"http_requests", mc::MetricType::counter, "Requests.", ""};
  for (int code = 200; code < 204; ++code) {
    std::vector<int64_t> timestamps;
    std::vector<double> values;
    for (int i = 0; i < 120; ++i) {
      timestamps.push_back(meta.min_time + i * 15'000);
      values.push_back(code * 10.0 + i);
    }
    const std::span<const double> column(values);
    const mc::Labels labels(
        {{"__name__", "http_requests_total"}, {"code", std::to_string(code)}, {"job", "api"}});
    if (auto status = (*writer)->add_series(labels, code % 2 ? &metadata : nullptr, timestamps,
                                            std::span(&column, 1));
        !status) {
      std::fprintf(stderr, "fuzz_seed_writer: %s\n", status.message().c_str());
      return 1;
    }
  }
  auto dir = (*writer)->finish();
  if (!dir) {
    std::fprintf(stderr, "fuzz_seed_writer: %s\n", dir.error().c_str());
    return 1;
  }
  fs::create_directories(corpus / "block_index");
  fs::create_directories(corpus / "block_meta_json");
  fs::copy_file(fs::path(*dir) / "index", corpus / "block_index" / "four-series",
                fs::copy_options::overwrite_existing);
  fs::copy_file(fs::path(*dir) / "meta.json", corpus / "block_meta_json" / "raw-block.json",
                fs::copy_options::overwrite_existing);
  fs::remove_all(scratch);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seed_writer <tests/fuzz/corpus>\n");
    return 2;
  }
  const fs::path corpus = argv[1];
  const auto all = sample_series();
  write_chunks(corpus, all);
  write_columns(corpus, all);
  write_generator_inputs(corpus);
  write_wal(corpus);
  return write_block(corpus);
}
