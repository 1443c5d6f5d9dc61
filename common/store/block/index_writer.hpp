// IndexWriter: collects what a block's index says (series with their labels,
// metadata and chunks; chunk groups) while the data file is written, and
// serialises the index file at the end.
//
// Sizes matter here (the budget is 0.05 bytes/sample on the real
// dataset): strings go once into a front-coded symbol table and everything
// else refers to them by number; times are deltas; big sections are zstd
// compressed when that pays. docs/storage-format.md has the byte layout.
//
// It holds every series of the block until the end, so what it keeps a series
// is the cut's peak that grows with the head: label strings are kept once
// each and a series refers to them by number, chunk entries in one array
// (bench/head_memory.md, "Across block cuts").
//
// Private to common/store/block. Thread-safety: none (one writer thread).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
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

  // The series as build() writes them: series s has the labels
  // label_strings[2 * label_ends[s - 1], 2 * label_ends[s]) (name, value;
  // numbers into `strings`) and the chunks [chunk_ends[s - 1], chunk_ends[s]).
  struct SeriesTable {
    std::vector<std::string_view> strings;  // by number, in order of first use
    std::vector<uint32_t> label_strings;
    std::vector<uint32_t> label_ends;
    std::vector<uint32_t> metadata;  // 0: none, else number + 1
    std::vector<ChunkEntry> chunks;
    std::vector<uint32_t> chunk_ends;
  };

 private:
  uint32_t string_number(std::string_view s);

  // Looks a std::string key up by string_view, without a copy.
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  // Owns the strings that series_.strings views (node keys do not move).
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> string_numbers_;
  SeriesTable series_;
  std::map<MetricMetadata, uint32_t> metadata_numbers_;
  std::vector<const MetricMetadata*> metadata_in_order_;  // points into metadata_numbers_ keys
  std::vector<GroupEntry> groups_;
};

}  // namespace mc::block
