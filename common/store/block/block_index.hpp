// BlockIndex: a block's index file parsed into memory. Opening checks the
// trailer, the table of contents and the CRC32C of every section before
// anything is believed, then decodes symbols, metadata, series (labels and
// chunk entries) and the chunk group table, and locates every column in its
// group. Postings stay encoded and are decoded per lookup.
//
// A series' labels are kept as symbol numbers in one flat array, not as a
// Labels allocation each; labels() builds the Labels when a query asks
// (bench/head_memory.md, "Across block cuts"). Even so an index is about
// 100 B a series, so an open block does not keep it: BlockIndexCache holds
// the parsed indexes of all blocks within one byte budget, and a block's is
// parsed again from its file when it was evicted (block_index_cache.hpp).
//
// Private to common/store/block. Thread-safety: immutable after parse(); const
// methods may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/store/block/block_format.hpp"
#include "common/store/block/index_entries.hpp"
#include "common/util/status.hpp"

namespace mc::block {

// Where a section lies in the index file, as stored (compressed or not).
struct StoredSection {
  Compression compression = Compression::none;
  std::span<const uint8_t> stored;  // into the file's bytes
  uint64_t raw_bytes = 0;
  uint64_t offset = 0;  // in the file, for errors
};

class BlockIndex {
 public:
  // `file` is the whole index file; `path` names it in errors.
  static Result<BlockIndex> parse(std::span<const uint8_t> file, const std::string& path);
  // The index without its series, label index and postings (num_series() is
  // 0): symbols, metadata and groups, every section's CRC checked, and in
  // `series` where the series section lies in `file`, for SeriesStream.
  static Result<BlockIndex> parse_without_series(std::span<const uint8_t> file,
                                                 const std::string& path, StoredSection& series);

  // Splits the groups' columns into timestamp and value columns and checks
  // them against the chunks: `kinds` value columns per chunk (the block
  // meta's column kinds), every chunk's timestamps column present.
  Status locate_columns(size_t kinds);

  // Move-only: label names view symbol_bytes_, whose buffer a move keeps in place.
  ~BlockIndex() = default;
  BlockIndex(BlockIndex&&) = default;
  BlockIndex& operator=(BlockIndex&&) = default;
  BlockIndex(const BlockIndex&) = delete;
  BlockIndex& operator=(const BlockIndex&) = delete;

  uint32_t num_series() const { return static_cast<uint32_t>(metadata_refs_.size()); }
  // Built from the symbol table on each call.
  Labels labels(uint32_t series) const;
  // The labels of (name, value) symbol number pairs, as a SeriesRecord holds
  // them. REQUIRES: each below symbol_count().
  Labels labels_of(std::span<const uint32_t> pairs) const;
  size_t symbol_count() const { return symbol_ends_.size(); }
  size_t metadata_count() const { return metadata_ ? metadata_->size() : 0; }
  // The value of label `name` of `series`, "" when absent; views the symbol
  // table, so it lives as long as the index.
  std::string_view label_value(uint32_t series, std::string_view name) const;
  // Null when the series has no metadata.
  const MetricMetadata* metadata(uint32_t series) const {
    const uint32_t ref = metadata_refs_[series];
    return ref == 0 ? nullptr : &(*metadata_)[ref - 1];
  }
  // The distinct metadata, shared: a reader keeps it past the index's
  // eviction, so the pointers metadata() returns stay valid as long as the
  // reader (a series' metadata ref - 1 indexes it; 0 is none).
  uint32_t metadata_ref(uint32_t series) const { return metadata_refs_[series]; }
  const std::shared_ptr<const std::vector<MetricMetadata>>& metadata_table() const {
    return metadata_;
  }
  // Chunks of a series, in time order, and the global number of the first.
  std::span<const ChunkEntry> chunks(uint32_t series) const {
    return std::span(chunks_).subspan(first_chunk_[series],
                                      first_chunk_[series + 1] - first_chunk_[series]);
  }
  uint32_t first_chunk(uint32_t series) const { return first_chunk_[series]; }
  size_t num_chunks() const { return chunks_.size(); }
  const std::vector<GroupEntry>& groups() const { return groups_; }
  // After locate_columns(): column number -> location.
  const std::vector<ColumnLocation>& timestamp_columns() const { return timestamp_columns_; }
  const std::vector<ColumnLocation>& value_columns() const { return value_columns_; }

  // The heap this index holds, by part (vector capacities, not malloc's
  // overhead); total() is what BlockIndexCache counts against its budget.
  struct HeapBytes {
    size_t symbols = 0;   // bytes and end offsets
    size_t labels = 0;    // series' label symbol numbers and where each starts
    size_t chunks = 0;    // chunk entries, where each series' start, metadata refs
    size_t postings = 0;  // label index and encoded postings
    size_t columns = 0;   // group table and column locations
    size_t metadata = 0;  // the distinct metadata (shared with the reader)
    size_t total() const { return symbols + labels + chunks + postings + columns + metadata; }
  };
  HeapBytes heap_bytes() const;

  std::vector<std::string> label_names() const;
  // Sorted; empty when the name is unknown.
  std::vector<std::string> label_values(std::string_view name) const;

  // Visits every value of label `name` with its postings reader. Returns the
  // union of the postings of the values `keep` accepts, sorted.
  template <typename Keep>
  Result<std::vector<uint32_t>> postings_where(std::string_view name, Keep keep) const;
  // The postings of name=value; empty when absent.
  Result<std::vector<uint32_t>> postings(std::string_view name, std::string_view value) const;

 private:
  friend class BlockIndexParser;  // block_index.cpp: parse() one section at a time
  BlockIndex() = default;

  struct LabelName {
    std::string_view name;
    std::vector<uint32_t> values;            // symbol numbers, sorted
    std::vector<uint32_t> postings_offsets;  // into postings_ per value
  };

  std::string_view symbol(uint32_t number) const {
    const uint32_t begin = number == 0 ? 0 : symbol_ends_[number - 1];
    return {symbol_bytes_.data() + begin, symbol_ends_[number] - begin};
  }
  const LabelName* find_name(std::string_view name) const;
  // Appends the postings list at `offset` to `out`.
  Status decode_postings(uint32_t offset, std::vector<uint32_t>& out) const;
  static void merge_into(std::vector<uint32_t>& accumulated, std::vector<uint32_t>& scratch,
                         const std::vector<uint32_t>& next);

  std::string path_;
  // Every symbol's bytes one after the other (one allocation, not a
  // std::string each); symbol i ends at symbol_ends_[i].
  std::vector<char> symbol_bytes_;
  std::vector<uint32_t> symbol_ends_;
  std::shared_ptr<const std::vector<MetricMetadata>> metadata_;
  // Per series, its labels' (name, value) symbol numbers in name order, one
  // after the other; series s's are [first_label_[s], first_label_[s + 1]).
  // Symbols are sorted, so comparing numbers compares the strings.
  std::vector<uint32_t> label_symbols_;
  std::vector<uint32_t> first_label_;  // num_series + 1 entries
  std::vector<uint32_t> metadata_refs_;
  std::vector<ChunkEntry> chunks_;
  std::vector<uint32_t> first_chunk_;   // num_series + 1 entries
  std::vector<LabelName> label_names_;  // sorted by name
  std::vector<uint8_t> postings_;
  std::vector<GroupEntry> groups_;
  std::vector<ColumnLocation> timestamp_columns_;
  std::vector<ColumnLocation> value_columns_;
};

template <typename Keep>
Result<std::vector<uint32_t>> BlockIndex::postings_where(std::string_view name, Keep keep) const {
  std::vector<uint32_t> result;
  const LabelName* label = find_name(name);
  if (label == nullptr) return result;
  std::vector<uint32_t> one;
  std::vector<uint32_t> scratch;
  for (size_t i = 0; i < label->values.size(); ++i) {
    if (!keep(symbol(label->values[i]))) continue;
    one.clear();
    if (Status status = decode_postings(label->postings_offsets[i], one); !status) return status;
    merge_into(result, scratch, one);
  }
  return result;
}

}  // namespace mc::block
