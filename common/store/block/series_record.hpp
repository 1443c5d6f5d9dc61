// SeriesRecord: one series of an index's series section, decoded: its labels
// as symbol numbers, its metadata reference and its chunk entries. The index
// parse appends each into its flat arrays; SeriesStream decodes them one at a
// time from a window of the section, for readers that walk a block's series
// in order without parsing the whole index (downsampling).
//
// Record layout (docs/storage-format.md, "series"): uvarint label count, per
// label uvarint name and value symbol; uvarint metadata ref (0: none); uvarint
// chunk count, per chunk varint min_time delta (from the section's base time,
// then from the previous chunk's max_time), uvarint max - min, uvarint
// samples, varint timestamps column delta (from the previous chunk of any
// series).
//
// Private to common/store/block.
#pragma once

#include <cstdint>
#include <vector>

#include "common/store/block/index_entries.hpp"
#include "common/util/byte_buffer.hpp"

namespace mc::block {

struct SeriesRecord {
  std::vector<uint32_t> label_symbols;  // (name, value) pairs, names ascending
  uint32_t metadata_ref = 0;            // 0: none; else 1 + its number
  std::vector<ChunkEntry> chunks;
};

enum class RecordRead {
  ok,
  incomplete,  // the bytes end inside the record (a window of the section needs more)
  invalid,     // out of range, out of order or overflowing
};

// What a record's numbers must stay within, and where the delta codes start.
struct RecordContext {
  uint64_t symbols = 0;                   // symbol numbers are below this
  uint64_t metadata = 0;                  // metadata refs at most this
  int64_t base_time = 0;                  // the section's
  int64_t previous_timestamp_column = 0;  // the last chunk's, of any series before
};

// Decodes the record at `in`'s position into `out` (its vectors reused). On
// ok, `context.previous_timestamp_column` moves to the record's last chunk;
// otherwise `context` is unchanged and `in`'s position undefined.
RecordRead read_series_record(ByteReader& in, RecordContext& context, SeriesRecord& out);

}  // namespace mc::block
