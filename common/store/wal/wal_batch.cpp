#include "common/store/wal/wal_batch.hpp"

namespace mc {

void WalBatch::ensure_open(WalRecordType type) {
  if (record_open_ && open_type_ == type &&
      bytes_.size() - open_start_ < kWalRecordHeaderBytes + kWalRecordTargetPayloadBytes) {
    return;
  }
  close_open_record();
  open_start_ = begin_wal_record(bytes_, type);
  open_type_ = type;
  record_open_ = true;
  ++records_;
}

void WalBatch::close_open_record() {
  if (!record_open_) return;
  finish_wal_record(bytes_, open_start_);
  record_open_ = false;
}

void WalBatch::log_series(SeriesRef ref, const Labels& labels) {
  ensure_open(WalRecordType::series);
  ByteWriter out(bytes_);
  encode_wal_series_entry(out, ref, labels);
}

void WalBatch::log_metadata(SeriesRef ref, const MetricMetadata& metadata) {
  ensure_open(WalRecordType::metadata);
  ByteWriter out(bytes_);
  encode_wal_metadata_entry(out, ref, metadata);
}

void WalBatch::log_sample(SeriesRef ref, int64_t t_ms, double v) {
  const bool starts_record =
      !record_open_ || open_type_ != WalRecordType::samples ||
      bytes_.size() - open_start_ >= kWalRecordHeaderBytes + kWalRecordTargetPayloadBytes;
  ensure_open(WalRecordType::samples);
  ByteWriter out(bytes_);
  const WalSample sample{ref, t_ms, v};
  if (starts_record) {
    samples_base_ = sample;
    encode_wal_first_sample(out, sample);
  } else {
    encode_wal_next_sample(out, samples_base_, sample);
  }
}

void WalBatch::log_samples(std::span<const WalSample> samples) {
  for (const WalSample& sample : samples) log_sample(sample.ref, sample.t_ms, sample.v);
}

void WalBatch::clear() {
  bytes_.clear();
  record_open_ = false;
  records_ = 0;
}

std::span<const uint8_t> WalBatch::finish() {
  close_open_record();
  return bytes_;
}

}  // namespace mc
