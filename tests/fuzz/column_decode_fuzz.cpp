// Fuzz target: the block store's column decoders on any bytes, as a damaged
// block would hand them. What decodes cleanly must re-encode and decode to
// the same samples (values bit for bit).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "common/store/columnar/column_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> column(data, size);
  // A few header bytes may claim up to 2^24 samples, which a constant column
  // legitimately holds; decoding that many per input would cut the fuzzer to a
  // few executions a second while exploring nothing a shorter column does not.
  const auto description = mc::columnar::describe_column(column);
  if (description && description->count > (1u << 16)) return 0;

  std::vector<int64_t> timestamps;
  if (mc::columnar::decode_timestamps(column, timestamps).is_ok()) {
    std::vector<uint8_t> encoded;
    mc::columnar::encode_timestamps(timestamps, encoded);
    std::vector<int64_t> again;
    if (!mc::columnar::decode_timestamps(encoded, again).is_ok() || again != timestamps) {
      std::abort();
    }
  }

  std::vector<double> values;
  if (mc::columnar::decode_values(column, values).is_ok()) {
    std::vector<uint8_t> encoded;
    mc::columnar::encode_values(values, encoded);
    std::vector<double> again;
    // memcmp only when there are bytes: an empty vector's data() may be null.
    if (!mc::columnar::decode_values(encoded, again).is_ok() || again.size() != values.size() ||
        (!values.empty() &&
         std::memcmp(again.data(), values.data(), values.size() * sizeof(double)) != 0)) {
      std::abort();
    }
  }
  return 0;
}
