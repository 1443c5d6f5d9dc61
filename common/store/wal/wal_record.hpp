// WAL records: the sample type the log carries, the framing of a record
// (type, length, payload, CRC32C) and the codecs of the three payloads. The
// byte layout is written down in wal_format.hpp.
//
// Decoders never read past the payload and check every field, so a record
// whose CRC matched but whose payload is malformed (a bug, not a disk fault)
// comes back as an error naming the byte, never as a crash.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/store/appender.hpp"
#include "common/store/wal/wal_format.hpp"
#include "common/util/byte_buffer.hpp"
#include "common/util/status.hpp"

namespace mc {

struct WalSample {
  SeriesRef ref = 0;
  int64_t t_ms = 0;
  double v = 0;
};

// Appends a record header to `out` and returns where the record starts; the
// payload goes after it, then finish_wal_record() fills in length and CRC.
size_t begin_wal_record(std::vector<uint8_t>& out, WalRecordType type);
void finish_wal_record(std::vector<uint8_t>& out, size_t record_start);

void encode_wal_series_entry(ByteWriter& out, SeriesRef ref, const Labels& labels);
void encode_wal_metadata_entry(ByteWriter& out, SeriesRef ref, const MetricMetadata& metadata);
// `base` is the first sample of the record; the first entry is written with
// base == sample.
void encode_wal_first_sample(ByteWriter& out, const WalSample& sample);
void encode_wal_next_sample(ByteWriter& out, const WalSample& base, const WalSample& sample);

// Each calls `on_entry` per entry in order; an error names the payload byte.
Status decode_wal_series_payload(std::span<const uint8_t> payload,
                                 const std::function<void(SeriesRef, Labels)>& on_entry);
Status decode_wal_metadata_payload(std::span<const uint8_t> payload,
                                   const std::function<void(SeriesRef, MetricMetadata)>& on_entry);
// Replaces the contents of `out` with the payload's samples.
Status decode_wal_samples_payload(std::span<const uint8_t> payload, std::vector<WalSample>& out);

}  // namespace mc
