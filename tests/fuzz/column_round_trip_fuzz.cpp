// Fuzz target: every column encoding, encode -> decode, gives back exactly the
// samples (values bit for bit), whichever encoding the encoder picks and each
// one forced where it can hold the samples.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/store/columnar/column_codec.hpp"
#include "tests/fuzz/fuzz_input.hpp"
#include "tests/fuzz/sample_generator.hpp"

namespace {

using mc::columnar::ColumnEncoding;

void check_timestamps(const std::vector<uint8_t>& column, const std::vector<int64_t>& expected) {
  std::vector<int64_t> decoded;
  if (!mc::columnar::decode_timestamps(column, decoded).is_ok() || decoded != expected) {
    std::abort();
  }
}

void check_values(const std::vector<uint8_t>& column, const std::vector<double>& expected) {
  std::vector<double> decoded;
  // memcmp only when there are bytes: an empty vector's data() may be null.
  if (!mc::columnar::decode_values(column, decoded).is_ok() || decoded.size() != expected.size() ||
      (!expected.empty() &&
       std::memcmp(decoded.data(), expected.data(), expected.size() * sizeof(double)) != 0)) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mc::fuzz::FuzzInput input(data, size);
  const auto series = mc::fuzz::generate_series(input, 1 << 16);

  std::vector<uint8_t> column;
  mc::columnar::encode_timestamps(series.timestamps, column);
  check_timestamps(column, series.timestamps);
  for (const ColumnEncoding encoding : mc::columnar::kTimestampEncodings) {
    column.clear();
    if (mc::columnar::encode_timestamps_as(encoding, series.timestamps, column)) {
      check_timestamps(column, series.timestamps);
    }
  }

  column.clear();
  mc::columnar::encode_values(series.values, column);
  check_values(column, series.values);
  for (const ColumnEncoding encoding : mc::columnar::kValueEncodings) {
    column.clear();
    if (mc::columnar::encode_values_as(encoding, series.values, column)) {
      check_values(column, series.values);
    }
  }
  return 0;
}
