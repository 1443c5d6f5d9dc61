// One round trip run against every column encoding, forced, over ordinary and
// adversarial inputs; values compared bit for bit.
#include <catch2/catch.hpp>

#include <algorithm>

#include "column_inputs.hpp"
#include "common/store/columnar/column_codec.hpp"

namespace mc::columnar {
namespace {

using testing::same_bits;

bool all_same_bits(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(), [&](double v) {
    return std::bit_cast<uint64_t>(v) == std::bit_cast<uint64_t>(values.front());
  });
}

bool all_same_steps(const std::vector<int64_t>& timestamps) {
  for (size_t i = 2; i < timestamps.size(); ++i) {
    if (static_cast<uint64_t>(timestamps[i]) - static_cast<uint64_t>(timestamps[i - 1]) !=
        static_cast<uint64_t>(timestamps[1]) - static_cast<uint64_t>(timestamps[0])) {
      return false;
    }
  }
  return true;
}

TEST_CASE("every value encoding round-trips every input it accepts, bit for bit",
          "[store][columnar]") {
  const ColumnEncoding encoding =
      GENERATE(from_range(std::begin(kValueEncodings), std::end(kValueEncodings)));
  for (const auto& input : testing::value_inputs()) {
    CAPTURE(column_encoding_name(encoding), input.name);
    std::vector<uint8_t> column{0xAA};  // appends after what is there
    const bool accepted = encode_values_as(encoding, input.values, column);
    const bool should_accept = encoding != ColumnEncoding::value_constant || input.values.empty() ||
                               all_same_bits(input.values);
    REQUIRE(accepted == should_accept);
    if (!accepted) {
      REQUIRE(column == std::vector<uint8_t>{0xAA});
      continue;
    }
    std::vector<double> decoded{7.0};
    const Status status = decode_values(std::span(column).subspan(1), decoded);
    REQUIRE(status.message() == "");
    REQUIRE(decoded.size() == input.values.size() + 1);
    REQUIRE(decoded.front() == 7.0);
    decoded.erase(decoded.begin());
    REQUIRE(same_bits(decoded, input.values));
  }
}

TEST_CASE("every timestamp encoding round-trips every input it accepts", "[store][columnar]") {
  const ColumnEncoding encoding =
      GENERATE(from_range(std::begin(kTimestampEncodings), std::end(kTimestampEncodings)));
  for (const auto& input : testing::timestamp_inputs()) {
    CAPTURE(column_encoding_name(encoding), input.name);
    std::vector<uint8_t> column;
    const bool accepted = encode_timestamps_as(encoding, input.timestamps, column);
    REQUIRE(accepted == (encoding != ColumnEncoding::timestamp_constant_delta ||
                         all_same_steps(input.timestamps)));
    if (!accepted) {
      REQUIRE(column.empty());
      continue;
    }
    std::vector<int64_t> decoded{-3};
    REQUIRE(decode_timestamps(column, decoded).message() == "");
    REQUIRE(decoded == [&] {
      std::vector<int64_t> expected{-3};
      expected.insert(expected.end(), input.timestamps.begin(), input.timestamps.end());
      return expected;
    }());
  }
}

TEST_CASE("the encoders keep the smallest encoding, the first of equals", "[store][columnar]") {
  for (const auto& input : testing::value_inputs()) {
    CAPTURE(input.name);
    std::vector<uint8_t> chosen;
    encode_values(input.values, chosen);
    std::vector<uint8_t> smallest;
    for (const ColumnEncoding encoding : kValueEncodings) {
      std::vector<uint8_t> candidate;
      if (encode_values_as(encoding, input.values, candidate) &&
          (smallest.empty() || candidate.size() < smallest.size())) {
        smallest = candidate;
      }
    }
    REQUIRE(chosen == smallest);
    std::vector<double> decoded;
    REQUIRE(decode_values(chosen, decoded).is_ok());
    REQUIRE(same_bits(decoded, input.values));
  }
  for (const auto& input : testing::timestamp_inputs()) {
    CAPTURE(input.name);
    std::vector<uint8_t> chosen;
    encode_timestamps(input.timestamps, chosen);
    std::vector<uint8_t> smallest;
    for (const ColumnEncoding encoding : kTimestampEncodings) {
      std::vector<uint8_t> candidate;
      if (encode_timestamps_as(encoding, input.timestamps, candidate) &&
          (smallest.empty() || candidate.size() < smallest.size())) {
        smallest = candidate;
      }
    }
    REQUIRE(chosen == smallest);
    std::vector<int64_t> decoded;
    REQUIRE(decode_timestamps(chosen, decoded).is_ok());
    REQUIRE(decoded == input.timestamps);
  }
}

TEST_CASE("typical exporter series come out small", "[store][columnar]") {
  // A counter growing by similar steps, ending in a stale marker: decimal,
  // the marker an exception, deltas of deltas in {-1, 0, 1}: about 2 bits a sample.
  std::vector<double> counter;
  double total = 1e6;
  for (int i = 0; i < 900; ++i) counter.push_back(total += 4096 + (i % 7 == 0));
  counter.push_back(testing::from_bits(testing::kStaleNanBits));
  std::vector<uint8_t> column;
  encode_values(counter, column);
  REQUIRE(describe_column(column)->encoding == ColumnEncoding::value_decimal);
  REQUIRE(column.size() * 8 < counter.size() * 5 / 2);

  // A gauge with two decimal digits, a cent up or down each sample: decimal
  // deltas of zigzag width 2.
  std::vector<double> gauge;
  int cents = 2500;
  // Built as a parser would: the double nearest to a short decimal.
  for (int i = 0; i < 900; ++i) gauge.push_back((cents += (i * 7 % 3 == 0 ? 1 : -1)) / 100.0);
  column.clear();
  encode_values(gauge, column);
  REQUIRE(describe_column(column)->encoding == ColumnEncoding::value_decimal);
  REQUIRE(column.size() * 8 < gauge.size() * 5 / 2);

  // A step gauge (a change every 50 samples) costs about 2 bits a sample
  // (Gorilla wins here: a run-length encoding would do better still).
  std::vector<double> steps;
  for (int i = 0; i < 900; ++i) steps.push_back((25 + i / 50) / 100.0);
  column.clear();
  encode_values(steps, column);
  REQUIRE(column.size() * 8 < steps.size() * 5 / 2);

  // Constant and regular timestamps: a dozen bytes whatever the length.
  column.clear();
  encode_values(std::vector<double>(900, 3.0), column);
  REQUIRE(column.size() == 11);
  std::vector<int64_t> regular;
  for (int64_t i = 0; i < 900; ++i) regular.push_back(1795418784000 + 1000 * i);
  column.clear();
  encode_timestamps(regular, column);
  REQUIRE(describe_column(column)->encoding == ColumnEncoding::timestamp_constant_delta);
  REQUIRE(column.size() == 11);
}

TEST_CASE("a column of one kind is refused by the other decoder", "[store][columnar]") {
  std::vector<uint8_t> column;
  encode_values(std::vector<double>{1, 2, 3}, column);
  std::vector<int64_t> timestamps;
  const Status status = decode_timestamps(column, timestamps);
  REQUIRE_FALSE(status.is_ok());
  REQUIRE(status.message() == "column at byte 0: value_decimal is not a timestamp encoding");
  REQUIRE(timestamps.empty());
  REQUIRE_FALSE(encode_values_as(ColumnEncoding::timestamp_delta_of_delta, {}, column));
  REQUIRE_FALSE(encode_timestamps_as(ColumnEncoding::value_constant, {}, column));
}

}  // namespace
}  // namespace mc::columnar
