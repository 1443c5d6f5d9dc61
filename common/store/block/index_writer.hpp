// IndexWriter: collects what a block's index says (series with their labels,
// metadata and chunks; chunk groups) while the data file is written, and
// serialises the index file at the end.
//
// Sizes matter here (the budget is 0.05 bytes/sample on the real
// dataset): strings go once into a front-coded symbol table and everything
// else refers to them by number; times are deltas; big sections are zstd
// compressed when that pays. docs/storage-format.md has the byte layout.
//
// Private to common/store/block. Thread-safety: none (one writer thread).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/store/block/compression.hpp"
#include "common/store/block/index_entries.hpp"

namespace mc::block {

class IndexWriter {
 public:
  // REQUIRES: series in strictly increasing label order (BlockWriter checks).
  void add_series(const Labels& labels, const MetricMetadata* metadata,
                  std::vector<ChunkEntry> chunks);
  void add_group(GroupEntry group);

  // The whole index file. `base_time` (the block's min_time) anchors the
  // chunk time deltas.
  std::vector<uint8_t> build(int64_t base_time, Compressor& compressor) const;

  // One series as build() writes it.
  struct SeriesRecord {
    Labels labels;
    uint32_t metadata = 0;  // 0: none, else number + 1
    std::vector<ChunkEntry> chunks;
  };

 private:
  std::vector<SeriesRecord> series_;
  std::map<MetricMetadata, uint32_t> metadata_numbers_;
  std::vector<const MetricMetadata*> metadata_in_order_;  // points into metadata_numbers_ keys
  std::vector<GroupEntry> groups_;
};

}  // namespace mc::block
