// BlockWriter: writes one immutable block from series handed over in label
// order, for the head's 2 h cut and for downsampling compaction.
//
// Each series' samples become chunks of at most max_chunk_samples samples;
// each chunk is one timestamps column and one column per column kind of the
// block (common/store/columnar encodes them). Value columns are packed into
// chunk groups of about group_target_bytes, each stored raw or zstd (whichever
// is smaller) with a CRC32C. A timestamps column identical to one written
// before is not written again: series of one target share their scrape times,
// so timestamps cost next to nothing. Timestamp columns live in groups of
// their own, so reading a chunk decompresses at most two groups.
//
// Everything goes to `<parent>/<name>.tmp`; finish() writes the index and
// meta.json, fsyncs and renames to `<parent>/<name>`, so a crash never leaves
// a directory without the .tmp suffix that is not complete. A writer dropped
// before finish() removes its .tmp directory.
//
// Thread-safety: none; one thread writes a block.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/store/block/block_format.hpp"
#include "common/store/block/block_meta.hpp"
#include "common/store/block/index_entries.hpp"
#include "common/util/status.hpp"

namespace mc::block {

class Compressor;
class IndexWriter;

struct BlockWriterOptions {
  // Uncompressed bytes per chunk group. Bigger groups compress better and
  // cost more to decompress for one series (bench/block_bench.cpp).
  size_t group_target_bytes = 64 << 10;
  int zstd_level = 3;
  // Longer series are split into chunks of equal length at most this long,
  // so that a short range read decodes little.
  size_t max_chunk_samples = 4096;
};

// One chunk of a series as another block stores it: its time range, sample
// count and encoded columns (views the caller keeps alive until the call
// returns), for copying chunks between blocks without decoding them.
struct EncodedChunk {
  int64_t min_time = 0;
  int64_t max_time = 0;
  uint32_t samples = 0;
  std::span<const uint8_t> timestamps;
  std::vector<std::span<const uint8_t>> values;  // one per column kind
};

class BlockWriter {
 public:
  // `meta` gives version, tier, resolution, min/max time, columns and
  // sources; the counts and byte sizes are filled in by finish(). Fails when
  // the final or .tmp directory cannot be made or the final one exists.
  static Result<std::unique_ptr<BlockWriter>> create(const std::string& parent_dir, BlockMeta meta,
                                                     BlockWriterOptions options = {});
  ~BlockWriter();
  BlockWriter(const BlockWriter&) = delete;
  BlockWriter& operator=(const BlockWriter&) = delete;

  // REQUIRES (checked): labels strictly greater than the previous series';
  // at least one sample; timestamps strictly increasing within
  // [meta.min_time, meta.max_time]; one span per column kind of the meta,
  // each as long as `timestamps`. `metadata` may be null.
  Status add_series(const Labels& labels, const MetricMetadata* metadata,
                    std::span<const int64_t> timestamps,
                    std::span<const std::span<const double>> columns);

  // A series whose chunks are copied as they are (merging raw blocks):
  // REQUIRES (checked) as add_series, the chunks in time order without
  // overlap, each with one value column per column kind. The columns are not
  // decoded: they must come from a block that checked them.
  Status add_series_chunks(const Labels& labels, const MetricMetadata* metadata,
                           std::span<const EncodedChunk> chunks);

  // Writes index and meta.json, fsyncs, renames; returns the block directory.
  // The writer is spent afterwards, whatever the outcome.
  Result<std::string> finish();

 private:
  // A group being filled: columns back to back and their sizes.
  struct OpenGroup {
    std::vector<uint8_t> bytes;
    std::vector<uint32_t> column_bytes;
  };

  BlockWriter(std::string parent_dir, BlockMeta meta, BlockWriterOptions options);

  // The checks every series gets: writer not spent, labels after the last.
  Status check_series(const Labels& labels, const std::string& where) const;
  // Appends a series' value columns to the open group (a series' columns
  // stay in one group) and its index entry.
  Status finish_series(const Labels& labels, const MetricMetadata* metadata,
                       const OpenGroup& series_values, std::vector<ChunkEntry> chunks,
                       uint64_t samples);
  // The number of the timestamps column equal to `column`, written if new.
  Result<uint32_t> timestamp_column(std::span<const uint8_t> column);
  Status flush(OpenGroup& group, GroupKind kind);
  Status write_all(int fd, std::span<const uint8_t> bytes, const std::string& path);
  void abandon();

  std::string parent_dir_;
  std::string final_dir_;
  std::string temporary_dir_;
  std::string data_path_;
  BlockMeta meta_;
  BlockWriterOptions options_;
  std::unique_ptr<Compressor> compressor_;
  std::unique_ptr<IndexWriter> index_;
  int data_fd_ = -1;
  uint64_t data_offset_ = 0;
  bool spent_ = false;

  OpenGroup values_;
  OpenGroup timestamps_;
  uint32_t timestamp_columns_ = 0;
  // Hash of a timestamps column's bytes -> (offset into unique_timestamps_, size, number).
  struct KnownColumn {
    size_t offset;
    size_t size;
    uint32_t number;
  };
  std::unordered_multimap<uint64_t, KnownColumn> known_timestamps_;
  std::vector<uint8_t> unique_timestamps_;

  Labels last_labels_;
  bool has_series_ = false;
  std::vector<uint8_t> scratch_;
  std::vector<uint8_t> stored_;
};

}  // namespace mc::block
