// The records the index holds about chunks and chunk groups, as the writer
// builds them and the reader parses them back.
//
// Column numbering: timestamp columns and value columns are numbered apart,
// each from 0 in the order they appear in the data file (group by group). A
// chunk names its timestamps column; its value columns need no reference,
// because the writer stores them in series order, chunk order and column-kind
// order: value column (global chunk number * K + k) is kind k of that chunk,
// for the K column kinds of the block's meta.
//
// Private to common/store/block.
#pragma once

#include <cstdint>
#include <vector>

#include "common/store/block/block_format.hpp"

namespace mc::block {

struct ChunkEntry {
  int64_t min_time = 0;  // of its first sample, ms
  int64_t max_time = 0;  // of its last sample, ms
  uint32_t samples = 0;
  uint32_t timestamp_column = 0;  // number among the block's timestamp columns

  bool operator==(const ChunkEntry&) const = default;
};

struct GroupEntry {
  GroupKind kind = GroupKind::values;
  uint64_t offset = 0;        // of the group record in the data file
  uint64_t record_bytes = 0;  // header, stored bytes and CRC
  std::vector<uint32_t> column_bytes;

  bool operator==(const GroupEntry&) const = default;
};

// Where a column lies: its group and its bytes in the group's decompressed
// bytes. Built from the groups' column sizes when an index is parsed.
struct ColumnLocation {
  uint32_t group = 0;
  uint32_t offset = 0;
  uint32_t bytes = 0;
};

}  // namespace mc::block
