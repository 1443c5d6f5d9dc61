#include "common/store/wal/wal_record.hpp"

#include <fmt/format.h>

#include <bit>
#include <cstring>
#include <span>
#include <string>

#include "common/util/crc32c.hpp"

namespace mc {

namespace {

Status malformed(std::string_view what, size_t position) {
  return Status::error(fmt::format("malformed {} payload at payload byte {}", what, position));
}

// The longest sample entry: two 10-byte varints and the 8 value bytes.
constexpr size_t kMaxSampleEntryBytes = 28;

uint8_t* put_uvarint(uint8_t* out, uint64_t value) {
  while (value >= 0x80) {
    *out++ = static_cast<uint8_t>(value) | 0x80;
    value >>= 7;
  }
  *out++ = static_cast<uint8_t>(value);
  return out;
}

// Little-endian, as ByteWriter::f64.
uint8_t* put_f64(uint8_t* out, double value) {
  // Little-endian on disk: on a little-endian machine, the double's own bytes
  // in one store. GCC at -O2 kept the byte loop as eight stores, 56
  // instructions for every scraped sample (callgrind).
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(out, &value, sizeof value);
  } else {
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(bits >> (8 * i));
  }
  return out + 8;
}

}  // namespace

size_t begin_wal_record(std::vector<uint8_t>& out, WalRecordType type) {
  const size_t start = out.size();
  ByteWriter writer(out);
  writer.u8(static_cast<uint8_t>(type));
  writer.u32(0);  // length, patched by finish_wal_record
  return start;
}

void finish_wal_record(std::vector<uint8_t>& out, size_t record_start) {
  ByteWriter writer(out);
  const size_t payload_bytes = out.size() - record_start - kWalRecordHeaderBytes;
  writer.patch_u32(record_start + 1, static_cast<uint32_t>(payload_bytes));
  const uint32_t crc = crc32c(std::span<const uint8_t>(out).subspan(record_start));
  writer.u32(crc);
}

void encode_wal_series_entry(ByteWriter& out, SeriesRef ref, const Labels& labels) {
  out.uvarint(ref);
  out.uvarint(labels.size());
  for (const LabelView label : labels) {
    out.string(label.name);
    out.string(label.value);
  }
}

void encode_wal_metadata_entry(ByteWriter& out, SeriesRef ref, const MetricMetadata& metadata) {
  out.uvarint(ref);
  out.u8(static_cast<uint8_t>(metadata.type));
  out.string(metadata.family);
  out.string(metadata.help);
  out.string(metadata.unit);
}

void encode_wal_first_sample(ByteWriter& out, const WalSample& sample) {
  out.uvarint(sample.ref);
  out.varint(sample.t_ms);
  out.f64(sample.v);
}

void encode_wal_next_sample(ByteWriter& out, const WalSample& base, const WalSample& sample) {
  // Every scraped sample passes here: the entry is built on the stack and
  // appended once, not byte by byte with a capacity check each.
  uint8_t entry[kMaxSampleEntryBytes];
  uint8_t* end = entry;
  // Unsigned wrap-around makes the difference exact for any pair of refs.
  end = put_uvarint(end, zigzag_encode(static_cast<int64_t>(sample.ref - base.ref)));
  end = put_uvarint(end, zigzag_encode(static_cast<int64_t>(static_cast<uint64_t>(sample.t_ms) -
                                                            static_cast<uint64_t>(base.t_ms))));
  end = put_f64(end, sample.v);
  out.bytes(std::span<const uint8_t>(entry, static_cast<size_t>(end - entry)));
}

Status decode_wal_series_payload(std::span<const uint8_t> payload,
                                 const std::function<void(SeriesRef, Labels)>& on_entry) {
  ByteReader in(payload);
  std::vector<Label> labels;
  while (!in.at_end()) {
    const size_t entry_start = in.position();
    const SeriesRef ref = in.uvarint();
    const uint64_t count = in.uvarint();
    // Each label takes at least two bytes, which bounds a corrupt count.
    if (!in.ok() || count > in.remaining() / 2) return malformed("series", entry_start);
    labels.clear();
    labels.reserve(count);
    for (uint64_t i = 0; i < count; ++i) {
      std::string_view name = in.string();
      std::string_view value = in.string();
      labels.push_back({std::string(name), std::string(value)});
    }
    if (!in.ok()) return malformed("series", entry_start);
    on_entry(ref, Labels(std::move(labels)));
    labels = {};
  }
  return Status::ok();
}

Status decode_wal_metadata_payload(std::span<const uint8_t> payload,
                                   const std::function<void(SeriesRef, MetricMetadata)>& on_entry) {
  ByteReader in(payload);
  while (!in.at_end()) {
    const size_t entry_start = in.position();
    const SeriesRef ref = in.uvarint();
    const uint8_t type = in.u8();
    MetricMetadata metadata;
    metadata.family = std::string(in.string());
    metadata.help = std::string(in.string());
    metadata.unit = std::string(in.string());
    if (!in.ok() || type > static_cast<uint8_t>(MetricType::stateset)) {
      return malformed("metadata", entry_start);
    }
    metadata.type = static_cast<MetricType>(type);
    on_entry(ref, std::move(metadata));
  }
  return Status::ok();
}

Status decode_wal_samples_payload(std::span<const uint8_t> payload, std::vector<WalSample>& out) {
  out.clear();
  ByteReader in(payload);
  if (in.at_end()) return Status::ok();
  WalSample base;
  base.ref = in.uvarint();
  base.t_ms = in.varint();
  base.v = in.f64();
  if (!in.ok()) return malformed("samples", 0);
  // Each later entry takes at least 10 bytes; reserving once keeps replay
  // from reallocating per record.
  out.reserve(1 + in.remaining() / 10);
  out.push_back(base);
  while (!in.at_end()) {
    const size_t entry_start = in.position();
    WalSample sample;
    sample.ref = base.ref + static_cast<uint64_t>(in.varint());
    sample.t_ms =
        static_cast<int64_t>(static_cast<uint64_t>(base.t_ms) + static_cast<uint64_t>(in.varint()));
    sample.v = in.f64();
    if (!in.ok()) return malformed("samples", entry_start);
    out.push_back(sample);
  }
  return Status::ok();
}

}  // namespace mc
