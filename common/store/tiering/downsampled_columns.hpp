// DownsampledColumns: how a DownsampledSeries (downsample.hpp) is laid out in
// the columns of a downsampled block, and read back.
//
// One row per window: the window's time, then count, sum, min, max, counter,
// and four sparse columns that carry the span's first and last raw counter
// samples (value and time in ms, as a double: exact below 2^53) in the row of
// the window that holds each, NaN elsewhere. A span without a raw counter
// sample has NaN in all four. Then the window's first counter sample: its age
// (the window's time minus its time, ms: small numbers that pack well) and its
// counter. The conversion is exact both ways.
//
// Blocks written before the last two columns existed have the first nine
// (their meta's column list says so); they read back with each window's first
// counter sample taken to be its last, which is what such a block can tell.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "common/store/block/block_meta.hpp"
#include "common/store/tiering/downsample.hpp"
#include "common/util/status.hpp"

namespace mc::tiering {

// The column kinds of a downsampled block, in this order.
inline constexpr std::array<block::ColumnKind, 11> kDownsampledColumnKinds = {
    block::ColumnKind::count,
    block::ColumnKind::sum,
    block::ColumnKind::min,
    block::ColumnKind::max,
    block::ColumnKind::counter,
    block::ColumnKind::first_raw_value,
    block::ColumnKind::first_raw_time,
    block::ColumnKind::last_raw_value,
    block::ColumnKind::last_raw_time,
    block::ColumnKind::window_first_age,
    block::ColumnKind::window_first_counter,
};
// The columns of a block written before the window's first counter sample
// was kept: the first nine kinds above.
inline constexpr size_t kDownsampledColumnsBeforeWindowFirst = 9;

// How many of kDownsampledColumnKinds a block with these column kinds holds
// (the current layout or the one before); 0 when it is neither.
size_t downsampled_column_count(std::span<const block::ColumnKind> kinds);

struct DownsampledColumns {
  std::vector<int64_t> timestamps;
  std::array<std::vector<double>, kDownsampledColumnKinds.size()> columns;

  // Spans over the columns, in kDownsampledColumnKinds order, for BlockWriter::add_series.
  std::array<std::span<const double>, kDownsampledColumnKinds.size()> spans() const;
};

DownsampledColumns to_columns(const DownsampledSeries& series);

// `columns`: the first kDownsampledColumnsBeforeWindowFirst kinds or all of
// them. REQUIRES: every column as long as `timestamps`. Fails on a malformed
// row (a count that is not a whole number, a raw sample time or a first
// sample's age that is not an integer, a first sample not after the row
// before, or a raw sample in more than one row).
Result<DownsampledSeries> from_columns(int64_t resolution_ms, std::span<const int64_t> timestamps,
                                       std::span<const std::vector<double>> columns);

}  // namespace mc::tiering
