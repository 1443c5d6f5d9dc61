// SeriesAcrossSources: every series of several blocks, in label order, the
// same labels in several blocks as one series: a merge of the blocks' series
// lists (each block holds its series in label order), read from each block's
// index file a series at a time (block::SeriesStream). For the compactor's
// rounds that rewrite blocks: a downsample of a day of blocks and the merge
// of a day's raw blocks into one. Collecting the series first in a map cost
// ~400 bytes a series, and pinning the sources' parsed indexes ~110 B a series
// a source (bench/head_memory.md).
//
// Thread-safety: one thread.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "common/model/labels.hpp"
#include "common/store/block/series_stream.hpp"
#include "common/util/status.hpp"

namespace mc {

class SeriesAcrossSources {
 public:
  // The sources that hold one series, by index into the streams.
  using Parts = std::vector<size_t>;

  // REQUIRES: each stream not yet moved (next() not called).
  explicit SeriesAcrossSources(std::vector<std::unique_ptr<block::SeriesStream>>& streams);

  // The next series into `labels` and the sources that hold it into `parts`
  // (in order; each of those streams is at that series until the next
  // call); false at the end or when a source failed (status()). A source out
  // of label order (a damaged index) fails its stream.
  bool next(Labels* labels, Parts* parts);

  const Status& status() const { return status_; }

 private:
  bool load(size_t s);

  std::vector<std::unique_ptr<block::SeriesStream>>& streams_;
  std::vector<bool> loaded_;
  Parts last_parts_;
  Status status_ = Status::ok();
};

}  // namespace mc
