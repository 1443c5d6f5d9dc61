// The column decoders on damaged input: every strict prefix of a valid column,
// single-byte corruptions, and random bytes. Each must give a Status error or
// a valid result, leave the output as it was on error, and never read out of
// bounds (the lead runs these under ASan too).
#include <catch2/catch.hpp>

#include <random>

#include "column_inputs.hpp"
#include "common/store/columnar/column_codec.hpp"
#include "tests/support/sanitizer_build.hpp"

namespace mc::columnar {
namespace {

// Decodes with both decoders; returns whether either accepted the bytes.
bool decode_either(std::span<const uint8_t> bytes) {
  std::vector<double> values{1.0};
  const Status value_status = decode_values(bytes, values);
  if (!value_status.is_ok()) REQUIRE(values.size() == 1);
  std::vector<int64_t> timestamps{1};
  const Status timestamp_status = decode_timestamps(bytes, timestamps);
  if (!timestamp_status.is_ok()) REQUIRE(timestamps.size() == 1);
  if (value_status.is_ok() || timestamp_status.is_ok()) {
    const auto description = describe_column(bytes);
    REQUIRE(description.is_ok());
    REQUIRE(description->count == (value_status.is_ok() ? values.size() : timestamps.size()) - 1);
  }
  return value_status.is_ok() || timestamp_status.is_ok();
}

std::vector<std::vector<uint8_t>> valid_columns() {
  std::vector<std::vector<uint8_t>> columns;
  for (const auto& input : testing::value_inputs()) {
    for (const ColumnEncoding encoding : kValueEncodings) {
      std::vector<uint8_t> column;
      if (encode_values_as(encoding, input.values, column)) columns.push_back(std::move(column));
    }
  }
  for (const auto& input : testing::timestamp_inputs()) {
    for (const ColumnEncoding encoding : kTimestampEncodings) {
      std::vector<uint8_t> column;
      if (encode_timestamps_as(encoding, input.timestamps, column)) {
        columns.push_back(std::move(column));
      }
    }
  }
  return columns;
}

TEST_CASE("every strict prefix of a valid column is an error", "[store][columnar]") {
  for (const auto& column : valid_columns()) {
    REQUIRE(decode_either(column));
    for (size_t length = 0; length < column.size(); ++length) {
      CAPTURE(column.size(), length);
      REQUIRE_FALSE(decode_either(std::span(column).first(length)));
    }
  }
}

TEST_CASE("a valid column with a byte appended is an error", "[store][columnar]") {
  for (auto column : valid_columns()) {
    column.push_back(0);
    REQUIRE_FALSE(decode_either(column));
  }
}

TEST_CASE("corrupted columns decode or fail cleanly", "[store][columnar]") {
  std::mt19937_64 random(99);
  for (const auto& column : valid_columns()) {
    for (int trial = 0; trial < 40; ++trial) {
      auto damaged = column;
      damaged[random() % damaged.size()] ^= static_cast<uint8_t>(1 + random() % 255);
      decode_either(damaged);
    }
  }
}

TEST_CASE("random bytes decode or fail cleanly", "[store][columnar]") {
  std::mt19937_64 random(1234);
  const uint8_t encodings[] = {1, 2, 3, 16, 17, 18, 0, 255};
  // Many inputs claim a count of up to 2^24 samples that a constant column
  // really holds, so a trial may fill a 128 MB vector: 13 s of CPU in
  // RelWithDebInfo, 63 s of user CPU under ASan (most of the file's 197 s in
  // CI's ASan step), 6 minutes under TSan. Under a sanitizer the first 5,000
  // trials; the fuzzer column_decode (ASan+UBSan, every CI run) and its
  // corpus replay cover random columns there.
  const int trials = mc::test::repetitions(100000, 5000);
  for (int trial = 0; trial < trials; ++trial) {
    std::vector<uint8_t> bytes(random() % 48);
    for (auto& b : bytes) b = static_cast<uint8_t>(random());
    // Mostly a real encoding and a small count, so the payload gets read.
    if (!bytes.empty() && trial % 4 != 0) bytes[0] = encodings[random() % std::size(encodings)];
    if (bytes.size() > 1 && trial % 2 == 0) bytes[1] = static_cast<uint8_t>(random() % 40);
    decode_either(bytes);
  }
}

TEST_CASE("a lying count fails before it allocates", "[store][columnar]") {
  std::vector<double> values;
  // value_constant, count 2^24 + 1 (more than any column may hold).
  Status status = decode_values(
      std::vector<uint8_t>{16, 0x81, 0x80, 0x80, 0x08, 0, 0, 0, 0, 0, 0, 0, 0}, values);
  REQUIRE_FALSE(status.is_ok());
  REQUIRE(values.empty());
  // value_gorilla_xor, count 2^24 with a 1-byte payload.
  status = decode_values(std::vector<uint8_t>{17, 0x80, 0x80, 0x80, 0x08, 0}, values);
  REQUIRE_FALSE(status.is_ok());
  REQUIRE(status.message() ==
          "value_gorilla_xor column: count 16777216 at byte 1 is more than 6 "
          "bytes can hold");
}

}  // namespace
}  // namespace mc::columnar
