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
#include <deque>
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

  // The series as write() writes them: series s has the labels
  // label_strings[2 * label_ends[s - 1], 2 * label_ends[s]) (name, value;
  // numbers into `strings`) and the chunks [chunk_ends[s - 1], chunk_ends[s]).
  // Deques, not vectors: a vector that doubles to its 8 MB at 200,000 series
  // touches the 4 MB it outgrew too, and the cut's malloc arena keeps both
  // until the next trim; a deque grows a block at a time.
  struct SeriesTable {
    std::vector<std::string_view> strings;  // by number, in order of first use
    std::deque<uint32_t> label_strings;
    std::deque<uint32_t> label_ends;
    std::deque<uint32_t> metadata;  // 0: none, else number + 1
    std::deque<ChunkEntry> chunks;
    std::deque<uint32_t> chunk_ends;
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
