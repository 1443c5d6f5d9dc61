// SeriesStream: a block's series one after another, in label order, read
// straight from its index file, and the samples of the current one. For code
// that walks every series of several blocks at once: downsampling merges a
// day of blocks' series lists. A parsed index is ~110 B a series and had to
// stay pinned while its block was read, so a day of twelve 2-hour blocks at
// 200,000 series pinned ~250 MiB for the round (bench/head_memory.md, "A
// downsampling round's memory"). A stream holds the index file's compressed
// bytes, its symbols, metadata and group table, and a window of the series
// section as it decompresses it, and decodes groups through a small cache of
// its own (the series of a block are read in the order their columns lie).
//
// The checks of the full parse apply as the stream reaches each record: a
// damaged one ends next() with the file, offset and section in status().
//
// Thread-safety: one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/store/block/block_writer.hpp"
#include "common/util/status.hpp"

namespace mc::block {

class BlockReader;

class SeriesStream {
 public:
  // Reads and checks the index's file, symbols, metadata and groups.
  static Result<std::unique_ptr<SeriesStream>> open(std::shared_ptr<const BlockReader> block);
  ~SeriesStream();
  SeriesStream(const SeriesStream&) = delete;
  SeriesStream& operator=(const SeriesStream&) = delete;

  // Moves to the next series; false at the end and on an error (status()).
  bool next();
  // Not ok once a record, the section or a group turned out damaged.
  const Status& status() const;

  // The current series. REQUIRES: next() returned true.
  const Labels& labels() const;
  // Null when none; valid as long as the stream.
  const MetricMetadata* metadata() const;
  // Replaces the vectors' contents with column `column` (of the block's
  // meta().columns) of the current series in [mint, maxt], as
  // BlockReader::read does.
  Status read(int64_t mint, int64_t maxt, size_t column, std::vector<int64_t>& timestamps,
              std::vector<double>& values);

  // Appends the current series' chunks as stored (time range, sample count,
  // encoded columns) to `chunks`, for copying them into another block; the
  // columns view group bytes that `held` keeps alive. The groups' CRCs are
  // checked as for a read; the columns are not decoded.
  Status encoded_chunks(std::vector<EncodedChunk>& chunks,
                        std::vector<std::shared_ptr<const std::vector<uint8_t>>>& held);

  const BlockReader& block() const;

 private:
  struct State;
  explicit SeriesStream(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace mc::block
