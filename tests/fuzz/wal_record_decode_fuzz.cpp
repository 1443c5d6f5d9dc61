// Fuzz target: the WAL payload decoders (series, metadata, samples) on any
// bytes, as a record whose CRC matched by chance would hand them. Samples that
// decode must encode back to a payload that decodes to the same samples.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "common/store/wal/wal_record.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> payload(data, size);
  size_t labels_seen = 0;
  (void)mc::decode_wal_series_payload(
      payload, [&](mc::SeriesRef, mc::Labels labels) { labels_seen += labels.size(); });
  (void)mc::decode_wal_metadata_payload(payload, [&](mc::SeriesRef, mc::MetricMetadata) {});

  std::vector<mc::WalSample> samples;
  if (!mc::decode_wal_samples_payload(payload, samples).is_ok() || samples.empty()) return 0;
  std::vector<uint8_t> encoded;
  {
    mc::ByteWriter writer(encoded);
    mc::encode_wal_first_sample(writer, samples.front());
    for (size_t i = 1; i < samples.size(); ++i) {
      mc::encode_wal_next_sample(writer, samples.front(), samples[i]);
    }
  }
  std::vector<mc::WalSample> again;
  if (!mc::decode_wal_samples_payload(encoded, again).is_ok() || again.size() != samples.size()) {
    std::abort();
  }
  for (size_t i = 0; i < samples.size(); ++i) {
    if (again[i].ref != samples[i].ref || again[i].t_ms != samples[i].t_ms ||
        std::memcmp(&again[i].v, &samples[i].v, sizeof(double)) != 0) {
      std::abort();
    }
  }
  return 0;
}
