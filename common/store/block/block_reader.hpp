// BlockReader: an open, immutable block on disk.
//
// open() reads meta.json and the whole index (small: symbols, series, chunk
// entries and postings; every section's CRC is checked) and keeps the data
// file open. Chunk groups are read with pread when a series is read, their
// CRC checked and decompressed then, and kept in a small LRU cache of
// decompressed groups; the data file is never held in memory whole.
//
// Series are numbered 0..num_series()-1 in label order.
//
// Errors name the file and byte offset:
//   "<dir>/data: chunk group at offset 123456: CRC mismatch".
//
// Thread-safety: const methods may be called from many threads at once (the
// group cache has its own lock; pread does not move a file position).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/store/block/block_meta.hpp"
#include "common/store/matcher.hpp"
#include "common/util/status.hpp"

namespace mc::block {

class BlockIndex;
class GroupCache;

class BlockReader {
 public:
  // `cache_bytes` bounds the decompressed groups kept in memory.
  static Result<std::shared_ptr<BlockReader>> open(const std::string& block_dir,
                                                   size_t cache_bytes = 16 << 20);
  ~BlockReader();
  BlockReader(const BlockReader&) = delete;
  BlockReader& operator=(const BlockReader&) = delete;

  const BlockMeta& meta() const { return meta_; }
  const std::string& dir() const { return dir_; }

  // Series numbers matching all matchers (PromQL semantics: a missing label
  // is ""), ascending, hence in label order. Uses postings: = looks one list
  // up; regexes and != test the label's values, not the series. No matchers
  // selects every series.
  Result<std::vector<uint32_t>> select(const std::vector<Matcher>& matchers) const;

  // REQUIRES: series < num_series(). Built on each call (the index keeps
  // symbol numbers, not a Labels per series).
  Labels labels(uint32_t series) const;
  // The value of `name`, "" when absent; valid as long as this reader.
  std::string_view label_value(uint32_t series, std::string_view name) const;
  const MetricMetadata* metadata(uint32_t series) const;  // null when none
  int64_t min_time(uint32_t series) const;                // of its first sample
  int64_t max_time(uint32_t series) const;                // of its last sample
  std::vector<std::string> label_names() const;
  std::vector<std::string> label_values(std::string_view name) const;
  uint32_t num_series() const;

  // Replaces the contents of `timestamps` and `values` with the samples of
  // `series` in [mint, maxt] for column `column` (an index into
  // meta().columns). Decodes only the chunks that overlap the range.
  Status read(uint32_t series, int64_t mint, int64_t maxt, size_t column,
              std::vector<int64_t>& timestamps, std::vector<double>& values) const;

  // Reads every chunk group (bypassing the cache), checks every CRC and
  // decodes every column. Reports every damaged group, not only the first.
  Status verify() const;

  // Bytes of decompressed groups held by the cache, for tests and metrics.
  size_t cached_bytes() const;

 private:
  struct ColumnLocation {
    uint32_t group;
    uint32_t offset;  // in the group's decompressed bytes
    uint32_t bytes;
  };
  using Group = std::shared_ptr<const std::vector<uint8_t>>;

  BlockReader() = default;

  Status build_column_locations();
  // Reads, checks and decompresses group `number` (from the cache if there).
  Result<Group> group(uint32_t number, bool use_cache) const;
  Result<std::span<const uint8_t>> column(const ColumnLocation& location, Group& holder,
                                          bool use_cache) const;
  std::string group_error(uint32_t number, std::string_view what) const;

  std::string dir_;
  std::string data_path_;
  BlockMeta meta_;
  std::unique_ptr<BlockIndex> index_;
  int data_fd_ = -1;
  std::vector<ColumnLocation> timestamp_columns_;
  std::vector<ColumnLocation> value_columns_;
  std::unique_ptr<GroupCache> cache_;
};

}  // namespace mc::block
