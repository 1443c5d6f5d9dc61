// Column header and the choice of encoding. Every column starts
//
//   u8        ColumnEncoding
//   uvarint   sample count n
//
// and, when n > 0, the encoding's payload:
//   timestamp_constant_delta   zigzag varint first, then (n > 1) zigzag varint step
//   timestamp_delta_of_delta   timestamp_column.cpp
//   timestamp_grid_offset      timestamp_column.cpp
//   value_constant             u64 raw bits of the value, little-endian
//   value_gorilla_xor          gorilla_values.cpp
//   value_decimal              decimal_values.cpp
// An empty column is the two header bytes of the first encoding of its kind.
//
// Worked example: the values 7.5 7.5 7.5 are 10 01 03 00 00 00 00 00 00 1E 40
// as value_constant (0x401E000000000000 is 7.5); decimal would take 4 bytes
// more.
#include "common/store/columnar/column_codec.hpp"

#include <algorithm>
#include <bit>
#include <cassert>

#include <fmt/format.h>

#include "common/store/columnar/column_format.hpp"
#include "common/store/columnar/decimal_values.hpp"
#include "common/store/columnar/gorilla_values.hpp"
#include "common/store/columnar/timestamp_column.hpp"

namespace mc::columnar {

namespace {

using column_format::kBlockValues;
using column_format::kMaxSamples;

bool is_timestamp_encoding(ColumnEncoding encoding) {
  return std::ranges::find(kTimestampEncodings, encoding) != std::ranges::end(kTimestampEncodings);
}

bool is_value_encoding(ColumnEncoding encoding) {
  return std::ranges::find(kValueEncodings, encoding) != std::ranges::end(kValueEncodings);
}

void write_header(ColumnEncoding encoding, size_t count, std::vector<uint8_t>& out) {
  assert(count <= kMaxSamples && "column too long");
  ByteWriter writer(out);
  writer.u8(static_cast<uint8_t>(encoding));
  writer.uvarint(count);
}

bool encode_constant_values(std::span<const double> values, std::vector<uint8_t>& out) {
  if (values.empty()) return true;
  const auto first = std::bit_cast<uint64_t>(values[0]);
  for (const double value : values) {
    if (std::bit_cast<uint64_t>(value) != first) return false;
  }
  ByteWriter(out).u64(first);
  return true;
}

bool decode_constant_values(ByteReader& reader, std::span<double> out) {
  if (out.empty()) return true;
  const double value = reader.f64();
  if (!reader.ok()) return false;
  for (double& v : out) v = value;
  return true;
}

// The most samples a payload of `payload_bytes` can describe in `encoding`,
// so a lying count fails before it allocates.
uint64_t most_samples(ColumnEncoding encoding, size_t payload_bytes) {
  switch (encoding) {
    case ColumnEncoding::timestamp_delta_of_delta:
    case ColumnEncoding::timestamp_grid_offset:
    case ColumnEncoding::value_decimal:
      return 2 + static_cast<uint64_t>(payload_bytes) * kBlockValues;  // a block: >= 1 byte
    case ColumnEncoding::value_gorilla_xor:
      return 1 + static_cast<uint64_t>(payload_bytes) * 8;  // a value: >= 1 bit
    default:
      return kMaxSamples;
  }
}

struct Header {
  ColumnEncoding encoding;
  uint64_t count;
};

Result<Header> read_header(ByteReader& reader, size_t column_size) {
  const uint8_t byte = reader.u8();
  const uint64_t count = reader.uvarint();
  if (!reader.ok()) {
    return Status::error(fmt::format("column header truncated ({} bytes)", column_size));
  }
  const auto encoding = static_cast<ColumnEncoding>(byte);
  if (!is_timestamp_encoding(encoding) && !is_value_encoding(encoding)) {
    return Status::error(fmt::format("column at byte 0: unknown encoding {}", byte));
  }
  if (count > kMaxSamples || count > most_samples(encoding, reader.remaining())) {
    return Status::error(fmt::format("{} column: count {} at byte 1 is more than {} bytes can hold",
                                     column_encoding_name(encoding), count, column_size));
  }
  return Header{encoding, count};
}

template <typename T, typename Decode>
Status decode_column(std::span<const uint8_t> column, std::vector<T>& out, const char* kind,
                     bool (*accepts)(ColumnEncoding), Decode decode_payload) {
  ByteReader reader(column);
  auto header = read_header(reader, column.size());
  if (!header) return header.status();
  const char* name = column_encoding_name(header->encoding);
  if (!accepts(header->encoding)) {
    return Status::error(fmt::format("column at byte 0: {} is not a {} encoding", name, kind));
  }
  const size_t old_size = out.size();
  out.resize(old_size + header->count);
  const std::span<T> samples(out.data() + old_size, header->count);
  if (header->count > 0 && !decode_payload(header->encoding, reader, samples)) {
    out.resize(old_size);
    return Status::error(
        fmt::format("{} column of {} samples: payload truncated or malformed ({} bytes)", name,
                    header->count, column.size()));
  }
  if (!reader.at_end()) {
    out.resize(old_size);
    return Status::error(fmt::format("{} column of {} samples: {} trailing bytes at byte {}", name,
                                     header->count, reader.remaining(), reader.position()));
  }
  return Status::ok();
}

bool decode_timestamp_payload(ColumnEncoding encoding, ByteReader& reader, std::span<int64_t> out) {
  switch (encoding) {
    case ColumnEncoding::timestamp_constant_delta:
      return decode_constant_delta_timestamps(reader, out);
    case ColumnEncoding::timestamp_delta_of_delta:
      return decode_delta_of_delta_timestamps(reader, out);
    case ColumnEncoding::timestamp_grid_offset:
      return decode_grid_offset_timestamps(reader, out);
    default:
      return false;
  }
}

bool decode_value_payload(ColumnEncoding encoding, ByteReader& reader, std::span<double> out) {
  switch (encoding) {
    case ColumnEncoding::value_constant:
      return decode_constant_values(reader, out);
    case ColumnEncoding::value_gorilla_xor:
      return decode_gorilla_values(reader, out);
    case ColumnEncoding::value_decimal:
      return decode_decimal_values(reader, out);
    default:
      return false;
  }
}

// Encodes with each encoding of `encodings` that applies and appends the
// smallest; the first of equals wins, so the choice is deterministic.
template <typename T, size_t N, typename EncodeAs>
void encode_smallest(const ColumnEncoding (&encodings)[N], std::span<const T> samples,
                     std::vector<uint8_t>& out, EncodeAs encode_as) {
  thread_local std::vector<uint8_t> candidate;
  thread_local std::vector<uint8_t> best;
  best.clear();
  bool found = false;
  for (const ColumnEncoding encoding : encodings) {
    candidate.clear();
    if (!encode_as(encoding, samples, candidate)) continue;
    if (!found || candidate.size() < best.size()) {
      best.swap(candidate);
      found = true;
    }
  }
  out.insert(out.end(), best.begin(), best.end());
}

}  // namespace

bool encode_timestamps_as(ColumnEncoding encoding, std::span<const int64_t> timestamps,
                          std::vector<uint8_t>& out) {
  const size_t old_size = out.size();
  write_header(encoding, timestamps.size(), out);
  bool applies = true;
  if (!timestamps.empty()) {
    switch (encoding) {
      case ColumnEncoding::timestamp_constant_delta:
        applies = encode_constant_delta_timestamps(timestamps, out);
        break;
      case ColumnEncoding::timestamp_delta_of_delta:
        encode_delta_of_delta_timestamps(timestamps, out);
        break;
      case ColumnEncoding::timestamp_grid_offset:
        encode_grid_offset_timestamps(timestamps, out);
        break;
      default:
        applies = false;
    }
  }
  if (!applies || !is_timestamp_encoding(encoding)) {
    out.resize(old_size);
    return false;
  }
  return true;
}

bool encode_values_as(ColumnEncoding encoding, std::span<const double> values,
                      std::vector<uint8_t>& out) {
  const size_t old_size = out.size();
  write_header(encoding, values.size(), out);
  bool applies = true;
  if (!values.empty()) {
    switch (encoding) {
      case ColumnEncoding::value_constant:
        applies = encode_constant_values(values, out);
        break;
      case ColumnEncoding::value_gorilla_xor:
        encode_gorilla_values(values, out);
        break;
      case ColumnEncoding::value_decimal:
        encode_decimal_values(values, out);
        break;
      default:
        applies = false;
    }
  }
  if (!applies || !is_value_encoding(encoding)) {
    out.resize(old_size);
    return false;
  }
  return true;
}

void encode_timestamps(std::span<const int64_t> timestamps, std::vector<uint8_t>& out) {
  // Constant steps, when they apply, are never beaten: the others store the
  // same first timestamp and step, and blocks besides.
  if (encode_timestamps_as(ColumnEncoding::timestamp_constant_delta, timestamps, out)) return;
  encode_smallest(kTimestampEncodings, timestamps, out, encode_timestamps_as);
}

void encode_values(std::span<const double> values, std::vector<uint8_t>& out) {
  encode_smallest(kValueEncodings, values, out, encode_values_as);
}

Status decode_timestamps(std::span<const uint8_t> column, std::vector<int64_t>& out) {
  return decode_column(column, out, "timestamp", is_timestamp_encoding, decode_timestamp_payload);
}

Status decode_values(std::span<const uint8_t> column, std::vector<double>& out) {
  return decode_column(column, out, "value", is_value_encoding, decode_value_payload);
}

Result<ColumnDescription> describe_column(std::span<const uint8_t> column) {
  ByteReader reader(column);
  auto header = read_header(reader, column.size());
  if (!header) return header.status();
  return ColumnDescription{header->encoding, header->count};
}

const char* column_encoding_name(ColumnEncoding encoding) {
  switch (encoding) {
    case ColumnEncoding::timestamp_constant_delta:
      return "timestamp_constant_delta";
    case ColumnEncoding::timestamp_delta_of_delta:
      return "timestamp_delta_of_delta";
    case ColumnEncoding::timestamp_grid_offset:
      return "timestamp_grid_offset";
    case ColumnEncoding::value_constant:
      return "value_constant";
    case ColumnEncoding::value_gorilla_xor:
      return "value_gorilla_xor";
    case ColumnEncoding::value_decimal:
      return "value_decimal";
  }
  return "unknown";
}

}  // namespace mc::columnar
