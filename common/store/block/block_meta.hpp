// BlockMeta: what meta.json of a block says, the first file a reader opens.
//
// A block is an immutable directory `<tier>-<min_time_ms>-<max_time_ms>` cut
// from the head (tier "raw") or made by downsampling ("5m", "1h"). Its meta
// names the tier, the time range (inclusive, ms), the value columns each chunk
// carries (one `value` column for raw blocks; count, sum, min, max, counter
// for downsampled ones), the sizes of its files and, for compacted blocks, the
// blocks it was made from. docs/storage-format.md describes the JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/status.hpp"

namespace mc::block {

inline constexpr int kBlockFormatVersion = 1;

// Downsampled blocks (common/store/tiering/downsampled_columns.hpp) carry, beside
// the window aggregates, the first and last raw counter samples of the span in
// the rows of the windows that hold them (NaN in every other row), so that a
// counter reset between two blocks stays visible. Blocks written since
// 2026-12-06 also carry each window's first counter sample (its age before the
// window's time, and its reset-adjusted counter): the meta's column list says
// which layout a block has, and a block without them is read as before.
enum class ColumnKind : uint8_t {
  value,
  count,
  sum,
  min,
  max,
  counter,
  first_raw_value,
  first_raw_time,
  last_raw_value,
  last_raw_time,
  window_first_age,
  window_first_counter,
};

// "value", "count", ... as meta.json spells them.
std::string_view column_kind_name(ColumnKind kind);
std::optional<ColumnKind> parse_column_kind(std::string_view name);

struct BlockMeta {
  int version = kBlockFormatVersion;
  std::string tier = "raw";
  int64_t resolution_ms = 0;  // 0 for raw blocks
  int64_t min_time = 0;       // inclusive, ms
  int64_t max_time = 0;       // inclusive, ms
  // Counted by the writer; whatever the caller passes is overwritten.
  uint64_t series = 0;
  uint64_t samples = 0;
  uint64_t chunks = 0;
  uint64_t data_bytes = 0;
  uint64_t index_bytes = 0;
  std::vector<ColumnKind> columns = {ColumnKind::value};
  std::vector<std::string> sources;  // block directory names this one was made from
  int compaction_level = 1;          // 1 for a block cut from the head

  bool operator==(const BlockMeta&) const = default;
};

// `<tier>-<min_time>-<max_time>`, the block's directory name.
std::string block_dir_name(const BlockMeta& meta);

// meta.json: a JSON object of strings, integers and arrays of strings.
std::string meta_to_json(const BlockMeta& meta);
// Strict: unknown, repeated or missing keys, wrong kinds and trailing bytes are
// errors; `path` prefixes every message.
Result<BlockMeta> parse_meta_json(std::string_view json, const std::string& path);

}  // namespace mc::block
