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
// is the cut's memory that grows with the head: label strings are kept once
// each, and a series is a record of varints referring to them by number
// (bench/head_memory.md, "Across block cuts").
//
// Private to common/store/block. Thread-safety: none (one writer thread).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/store/block/compression.hpp"
#include "common/store/block/index_entries.hpp"
#include "common/util/status.hpp"

namespace mc::block {

class IndexWriter {
 public:
  // REQUIRES: series in strictly increasing label order (BlockWriter checks).
  void add_series(const Labels& labels, const MetricMetadata* metadata,
                  std::vector<ChunkEntry> chunks);
  void add_group(GroupEntry group);

  // Receives the index file in order, a section at a time.
  using Sink = std::function<Status(std::span<const uint8_t>)>;

  // Writes the whole index file to `sink` and returns its size. `base_time`
  // (the block's min_time) anchors the chunk time deltas. Each section is
  // compressed and handed on as soon as it is made, and what only it needed
  // is freed before the next (the series table after the series section, the
  // postings after theirs): a 200,000-series cut held every section raw and
  // stored and the whole file at once beside them, its RssAnon peak in the
  // soak (bench/soak/README.md). Leaves the writer empty: call once.
  Result<uint64_t> write(int64_t base_time, Compressor& compressor, const Sink& sink);

 private:
  uint32_t string_number(std::string_view s);
  // Calls `visit(reader)` for each series' record, in order.
  template <typename Visit>
  void for_each_record(Visit&& visit) const;

  // Looks a std::string key up by string_view, without a copy.
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  // Owns the strings that strings_ views (node keys do not move).
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> string_numbers_;
  std::vector<std::string_view> strings_;  // by number, in order of first use

  // Each series as add_series met it, a record of varints (labels as string
  // numbers, chunk times as deltas) in pages of fixed capacity, never moved
  // or doubled. They were arrays of 4-byte numbers and 24-byte chunk
  // entries, the cut's memory that grows with the head (in use rose by
  // ~18 MiB over a 200,000-series cut, bench/head_memory.md). write() reads
  // them twice, for the postings and for the series section.
  std::vector<std::vector<uint8_t>> pages_;
  std::vector<uint8_t> record_;  // the record being made
  size_t series_count_ = 0;
  int64_t previous_first_min_time_ = 0;     // of the series before, for the next record
  uint32_t previous_timestamp_column_ = 0;  // of the chunk before, across series

  std::map<MetricMetadata, uint32_t> metadata_numbers_;
  std::vector<const MetricMetadata*> metadata_in_order_;  // points into metadata_numbers_ keys
  std::vector<GroupEntry> groups_;
};

}  // namespace mc::block
