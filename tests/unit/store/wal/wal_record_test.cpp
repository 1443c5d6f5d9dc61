// The WAL record format pinned to exact bytes (the worked example in
// common/store/wal/wal_format.hpp) and round trips of every record type.
#include "common/store/wal/wal_record.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "common/model/sample_value.hpp"
#include "common/store/wal/wal_batch.hpp"
#include "common/util/crc32c.hpp"
#include "tests/unit/store/wal/wal_recording_handler.hpp"

using mc::WalBatch;
using mc::WalSample;

namespace {

// Splits framed records; checks every frame and CRC.
struct Frame {
  uint8_t type;
  std::vector<uint8_t> payload;
};

std::vector<Frame> frames(std::span<const uint8_t> bytes) {
  std::vector<Frame> out;
  mc::ByteReader in(bytes);
  while (!in.at_end()) {
    const size_t start = in.position();
    const uint8_t type = in.u8();
    const uint32_t length = in.u32();
    auto payload = in.bytes(length);
    const uint32_t crc = in.u32();
    REQUIRE(in.ok());
    REQUIRE(crc == mc::crc32c(bytes.subspan(start, 5 + length)));
    out.push_back({type, {payload.begin(), payload.end()}});
  }
  return out;
}

}  // namespace

TEST_CASE("wal samples record bytes of the worked example in wal_format.hpp", "[store][wal]") {
  WalBatch batch;
  batch.log_sample(5, 1000, 1.0);
  batch.log_sample(7, 1000, 2.0);
  const std::vector<uint8_t> framed_without_crc{
      0x03, 0x15, 0x00, 0x00, 0x00,                     // type, length 21
      0x05, 0xD0, 0x0F,                                 // ref0 5, t0 1000
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F,   // 1.0
      0x04, 0x00,                                       // ref +2, time +0
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40};  // 2.0
  auto bytes = batch.finish();
  REQUIRE(bytes.size() == framed_without_crc.size() + 4);
  REQUIRE(std::vector<uint8_t>(bytes.begin(), bytes.end() - 4) == framed_without_crc);
  // The CRC pinned too: a change of polynomial or coverage must be deliberate.
  const uint32_t crc = mc::crc32c(framed_without_crc);
  REQUIRE(std::vector<uint8_t>(bytes.end() - 4, bytes.end()) ==
          std::vector<uint8_t>{static_cast<uint8_t>(crc), static_cast<uint8_t>(crc >> 8),
                               static_cast<uint8_t>(crc >> 16), static_cast<uint8_t>(crc >> 24)});
  REQUIRE(crc == 0x16EE0F62u);
}

TEST_CASE("wal samples round trip every value bit for bit", "[store][wal]") {
  const std::vector<WalSample> samples{
      {1, 0, mc::stale_nan()},
      {2, -1, -0.0},
      {3, std::numeric_limits<int64_t>::max(), std::numeric_limits<double>::infinity()},
      {std::numeric_limits<uint64_t>::max(), std::numeric_limits<int64_t>::min(),
       -std::numeric_limits<double>::infinity()},
      {0, 5, std::nan("0x1234")},
      {9, 1'700'000'000'000, std::numeric_limits<double>::denorm_min()},
  };
  WalBatch batch;
  batch.log_samples(samples);
  auto records = frames(batch.finish());
  REQUIRE(records.size() == 1);
  REQUIRE(records[0].type == static_cast<uint8_t>(mc::WalRecordType::samples));
  std::vector<WalSample> decoded;
  REQUIRE(mc::decode_wal_samples_payload(records[0].payload, decoded).is_ok());
  REQUIRE(decoded.size() == samples.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    REQUIRE(mc::test::logged(decoded[i]) == mc::test::logged(samples[i]));
  }
}

TEST_CASE("wal series and metadata records round trip", "[store][wal]") {
  WalBatch batch;
  const mc::Labels labels{{"__name__", "http_requests_total"},
                          {"path", std::string("/a\"b\n\\c\0d", 9)},
                          {"empty_name_value", "x"}};
  const mc::MetricMetadata metadata{"http_requests", mc::MetricType::stateset, "Help with\nnewline",
                                    "seconds"};
  batch.log_series(42, labels);
  batch.log_series(1ULL << 63, mc::Labels{});
  batch.log_metadata(42, metadata);
  batch.log_sample(42, 10, 1.5);
  batch.log_series(43, mc::test::wal_test_labels(3));
  auto records = frames(batch.finish());
  REQUIRE(records.size() == 4);  // series, metadata, samples, series: order kept
  REQUIRE(batch.record_count() == 4);

  std::vector<mc::test::WalLoggedSeries> series;
  REQUIRE(mc::decode_wal_series_payload(records[0].payload, [&](mc::SeriesRef ref, mc::Labels l) {
            series.push_back({ref, std::move(l)});
          }).is_ok());
  REQUIRE(series == std::vector<mc::test::WalLoggedSeries>{{42, labels}, {1ULL << 63, {}}});

  std::vector<mc::test::WalLoggedMetadata> metadata_entries;
  REQUIRE(mc::decode_wal_metadata_payload(records[1].payload, [&](mc::SeriesRef ref,
                                                                  mc::MetricMetadata m) {
            metadata_entries.push_back({ref, std::move(m)});
          }).is_ok());
  REQUIRE(metadata_entries == std::vector<mc::test::WalLoggedMetadata>{{42, metadata}});
  REQUIRE(records[3].type == static_cast<uint8_t>(mc::WalRecordType::series));
}

TEST_CASE("wal batch closes a record once its payload passes the target size", "[store][wal]") {
  WalBatch batch;
  const size_t count = 300'000;  // ~11 bytes each: more than 3 MiB
  for (size_t i = 0; i < count; ++i) batch.log_sample(i, 1000, static_cast<double>(i));
  auto records = frames(batch.finish());
  REQUIRE(records.size() >= 3);
  size_t decoded_count = 0;
  std::vector<WalSample> decoded;
  for (const auto& record : records) {
    REQUIRE(record.payload.size() <= mc::kWalRecordTargetPayloadBytes + 32);
    REQUIRE(mc::decode_wal_samples_payload(record.payload, decoded).is_ok());
    for (const auto& sample : decoded) {
      REQUIRE(sample.ref == decoded_count);
      REQUIRE(sample.v == static_cast<double>(decoded_count));
      ++decoded_count;
    }
  }
  REQUIRE(decoded_count == count);
}

TEST_CASE("wal payload decoders reject truncated and malformed payloads", "[store][wal]") {
  WalBatch batch;
  batch.log_series(1, mc::test::wal_test_labels(1));
  batch.log_metadata(1, {"metric", mc::MetricType::gauge, "help", ""});
  batch.log_sample(1, 1, 1.0);
  batch.log_sample(2, 2, 2.0);
  auto records = frames(batch.finish());
  REQUIRE(records.size() == 3);
  auto ignore_series = [](mc::SeriesRef, mc::Labels) {};
  auto ignore_metadata = [](mc::SeriesRef, mc::MetricMetadata) {};
  std::vector<WalSample> decoded;
  for (size_t cut = 1; cut < records[0].payload.size(); ++cut) {
    std::span<const uint8_t> part(records[0].payload.data(), cut);
    REQUIRE_FALSE(mc::decode_wal_series_payload(part, ignore_series).is_ok());
  }
  for (size_t cut = 1; cut < records[1].payload.size(); ++cut) {
    std::span<const uint8_t> part(records[1].payload.data(), cut);
    REQUIRE_FALSE(mc::decode_wal_metadata_payload(part, ignore_metadata).is_ok());
  }
  for (size_t cut = 1; cut < records[2].payload.size(); ++cut) {
    if (cut == 10) continue;  // after the first entry: a valid one-sample payload
    std::span<const uint8_t> part(records[2].payload.data(), cut);
    REQUIRE_FALSE(mc::decode_wal_samples_payload(part, decoded).is_ok());
  }
  auto bad_type = records[1].payload;
  bad_type[1] = 200;  // after the one-byte ref
  auto status = mc::decode_wal_metadata_payload(bad_type, ignore_metadata);
  REQUIRE_FALSE(status.is_ok());
  REQUIRE(status.message() == "malformed metadata payload at payload byte 0");
}
