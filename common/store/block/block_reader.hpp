// BlockReader: an open, immutable block on disk.
//
// open() reads meta.json and parses the whole index (symbols, series, chunk
// entries and postings; every section's CRC is checked) to check the block,
// then drops the parse and keeps the index and data files open. The first
// read parses the index again into a BlockIndexCache shared by all blocks,
// bounded in bytes: when it was evicted, the next call parses the open index
// file again (a block deleted meanwhile still reads). So a block nobody reads
// (a daemon that is scraped, never queried) holds no index. A query pins
// the index of each block it reads (pin_index()), so it is parsed at most
// once a query. Chunk groups are read with pread when a series is read, their
// CRC checked and decompressed then, and kept in the GroupCache all blocks
// share, bounded in bytes; the data file is never held in memory whole.
//
// Series are numbered 0..num_series()-1 in label order.
//
// Errors name the file and byte offset:
//   "<dir>/data: chunk group at offset 123456: CRC mismatch".
// An index that no longer parses when it is read again (the file damaged
// after open) is an error from select() and read(), logged once, and makes
// the other lookups answer as for no series.
//
// Thread-safety: const methods may be called from many threads at once (the
// caches have their own locks; pread does not move a file position).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/store/block/block_meta.hpp"
#include "common/store/block/index_entries.hpp"
#include "common/store/matcher.hpp"
#include "common/util/status.hpp"

namespace mc::block {

class BlockIndex;
class BlockIndexCache;
class GroupCache;

// The timestamp column a read decoded last, kept by the caller for its next
// read of the same block: the series of one target share each chunk's
// timestamp column (the writer stores identical columns once) and a query
// reads them one after another, so the column is copied instead of decoded
// again. One per block and reading thread; holds one column.
struct DecodedTimestamps {
  static constexpr uint32_t kNone = UINT32_MAX;
  uint32_t column = kNone;          // its number among the block's timestamp columns
  std::vector<int64_t> timestamps;  // the whole column, before trimming to a range
};

class BlockReader {
 public:
  // Decompressed groups are kept in `group_cache` (null: GroupCache::process())
  // and the parsed index in `index_cache` (null: BlockIndexCache::process()),
  // which must outlive the reader.
  static Result<std::shared_ptr<BlockReader>> open(const std::string& block_dir,
                                                   GroupCache* group_cache = nullptr,
                                                   BlockIndexCache* index_cache = nullptr);
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

  // Keeps this block's parsed index in memory while the returned handle
  // lives, whatever the cache evicts: a query holds one per block it reads,
  // so that its calls do not parse the index again. Null when it fails to
  // parse (the error is logged; select() returns it).
  std::shared_ptr<const void> pin_index() const;
  // The same readers, each of whose shared_ptr (and every copy) also pins its
  // index: for code that reads series across several blocks at once (the
  // downsampled querier), where evicting one block's index for another's
  // would parse them again in turn for every series. (Downsampling walks
  // every series of its sources and reads them with SeriesStream instead.)
  static std::vector<std::shared_ptr<BlockReader>> with_pinned_indexes(
      std::vector<std::shared_ptr<BlockReader>> blocks);

  // REQUIRES: series < num_series(). Built on each call (the index keeps
  // symbol numbers, not a Labels per series).
  Labels labels(uint32_t series) const;
  // The value of `name`, "" when absent.
  std::string label_value(uint32_t series, std::string_view name) const;
  // Null when none; valid as long as this reader.
  const MetricMetadata* metadata(uint32_t series) const;
  int64_t min_time(uint32_t series) const;  // of its first sample
  int64_t max_time(uint32_t series) const;  // of its last sample
  std::vector<std::string> label_names() const;
  std::vector<std::string> label_values(std::string_view name) const;
  uint32_t num_series() const { return static_cast<uint32_t>(meta_.series); }

  // Replaces the contents of `timestamps` and `values` with the samples of
  // `series` in [mint, maxt] for column `column` (an index into
  // meta().columns). Decodes only the chunks that overlap the range.
  Status read(uint32_t series, int64_t mint, int64_t maxt, size_t column,
              std::vector<int64_t>& timestamps, std::vector<double>& values) const;

  // read(), labels(), min_time() and max_time() through an index the caller
  // pinned with pin_index() of this reader, without the cache lookup and its
  // lock on each call: a week-long query reads a series from ~84 blocks. A
  // null pin (the index failed to parse) answers as the calls above do.
  // `memo`, when given, is kept by the caller for this block only.
  Status read(const std::shared_ptr<const void>& pin, uint32_t series, int64_t mint, int64_t maxt,
              size_t column, std::vector<int64_t>& timestamps, std::vector<double>& values,
              DecodedTimestamps* memo = nullptr) const;
  Labels labels(const std::shared_ptr<const void>& pin, uint32_t series) const;
  int64_t min_time(const std::shared_ptr<const void>& pin, uint32_t series) const;
  int64_t max_time(const std::shared_ptr<const void>& pin, uint32_t series) const;

  // Reads every chunk group, checks every CRC and decodes every column.
  // Reports every damaged group, not only the first. Leaves both caches as
  // they were: the store checks every block at open, and what it read then
  // would fill them with what no query asked for.
  Status verify() const;

  // Bytes of decompressed groups of this block the cache holds, for tests.
  size_t cached_bytes() const;

 private:
  using Group = std::shared_ptr<const std::vector<uint8_t>>;
  using Index = std::shared_ptr<const BlockIndex>;

  BlockReader() = default;

  // The parsed index: from the cache, from a pin still alive, or parsed again.
  Result<Index> index() const;
  // index(), logging a failure once, for the lookups without an error path.
  Index index_or_log() const;
  // The open index file's bytes, its size checked against meta.json.
  Result<std::vector<uint8_t>> index_file_bytes() const;
  // Reads and parses the open index file and checks it against meta.json.
  Result<Index> parse_index() const;
  // Reads, checks and decompresses group `number` of `groups`: from `cache`
  // if there, and into it (null: neither).
  Result<Group> group(const std::vector<GroupEntry>& groups, uint32_t number,
                      GroupCache* cache) const;
  std::string group_error(const std::vector<GroupEntry>& groups, uint32_t number,
                          std::string_view what) const;
  Status read(const BlockIndex& index, uint32_t series, int64_t mint, int64_t maxt, size_t column,
              std::vector<int64_t>& timestamps, std::vector<double>& values,
              DecodedTimestamps* memo, GroupCache* cache) const;

  // Where one series' columns lie: the block's groups and timestamp columns,
  // the series' chunks and their value columns (the block's column kinds for
  // each chunk, chunk after chunk), from a parsed index or a SeriesStream.
  struct SeriesColumns {
    const std::vector<GroupEntry>& groups;
    const std::vector<ColumnLocation>& timestamp_columns;
    std::span<const ChunkEntry> chunks;
    std::span<const ColumnLocation> value_columns;
  };
  // Decodes column `column` of the chunks overlapping [mint, maxt] into the
  // vectors (replaced), trimmed to the range; `series` names it in errors.
  Status read_columns(const SeriesColumns& where, uint32_t series, int64_t mint, int64_t maxt,
                      size_t column, std::vector<int64_t>& timestamps, std::vector<double>& values,
                      DecodedTimestamps* memo, GroupCache* cache) const;

  friend class SeriesStream;  // reads a series' columns from its own index walk

  std::string dir_;
  std::string index_path_;
  std::string data_path_;
  BlockMeta meta_;
  int index_fd_ = -1;
  int data_fd_ = -1;
  BlockIndexCache* index_cache_ = nullptr;
  uint64_t index_key_ = 0;
  // Serialises parsing the index again, so that threads asking at once
  // parse it once.
  mutable std::mutex index_mutex_;
  // The index last parsed, while a pin or the cache keeps it alive.
  mutable std::weak_ptr<const BlockIndex> last_index_;
  mutable std::atomic<bool> index_error_logged_{false};
  // The first parse's metadata, kept so that metadata() pointers outlive evictions.
  std::shared_ptr<const std::vector<MetricMetadata>> metadata_;
  GroupCache* group_cache_ = nullptr;
  uint64_t group_key_ = 0;
};

}  // namespace mc::block
