// WalBatch: the records of one commit (one scrape, one appender), encoded as
// they are logged, so that WalWriter::commit() only takes its lock for one
// write(2). Series, metadata and samples are framed in the order they are
// logged: log a series before the samples that use its ref.
//
// Consecutive calls of one kind share one record until its payload passes
// kWalRecordTargetPayloadBytes; a scrape of 1,000 samples is one record.
//
// Thread-safety: none; one batch per appender, used by one thread.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/store/wal/wal_record.hpp"

namespace mc {

class WalBatch {
 public:
  void log_series(SeriesRef ref, const Labels& labels);
  void log_metadata(SeriesRef ref, const MetricMetadata& metadata);
  void log_sample(SeriesRef ref, int64_t t_ms, double v);
  void log_samples(std::span<const WalSample> samples);

  bool empty() const { return bytes_.empty(); }
  // Encoded bytes so far, the open record's CRC not yet counted.
  size_t size_bytes() const { return bytes_.size(); }
  void clear();

  // Closes the open record and returns the framed records, ready to write.
  // Logging more afterwards starts a new record.
  std::span<const uint8_t> finish();
  // Records framed or open so far.
  uint64_t record_count() const { return records_; }

 private:
  // Starts a record of `type` unless the open one has that type and room.
  void ensure_open(WalRecordType type);
  void close_open_record();

  std::vector<uint8_t> bytes_;
  bool record_open_ = false;
  WalRecordType open_type_ = WalRecordType::series;
  size_t open_start_ = 0;
  WalSample samples_base_;  // the first sample of an open samples record
  uint64_t records_ = 0;
};

}  // namespace mc
