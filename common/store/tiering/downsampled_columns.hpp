// DownsampledColumns: how a DownsampledSeries (downsample.hpp) is laid out in
// the columns of a downsampled block, and read back.
//
// One row per window: the window's time, then count, sum, min, max, counter,
// and four sparse columns that carry the span's first and last raw counter
// samples (value and time in ms, as a double: exact below 2^53) in the row of
// the window that holds each, NaN elsewhere. A span without a raw counter
// sample has NaN in all four. The conversion is exact both ways.
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
inline constexpr std::array<block::ColumnKind, 9> kDownsampledColumnKinds = {
    block::ColumnKind::count,
    block::ColumnKind::sum,
    block::ColumnKind::min,
    block::ColumnKind::max,
    block::ColumnKind::counter,
    block::ColumnKind::first_raw_value,
    block::ColumnKind::first_raw_time,
    block::ColumnKind::last_raw_value,
    block::ColumnKind::last_raw_time,
};

struct DownsampledColumns {
  std::vector<int64_t> timestamps;
  std::array<std::vector<double>, kDownsampledColumnKinds.size()> columns;

  // Spans over the columns, in kDownsampledColumnKinds order, for BlockWriter::add_series.
  std::array<std::span<const double>, kDownsampledColumnKinds.size()> spans() const;
};

DownsampledColumns to_columns(const DownsampledSeries& series);

// REQUIRES: every column as long as `timestamps`. Fails on a malformed row
// (a count that is not a whole number, a raw sample time that is not an integer,
// or a raw sample in more than one row).
Result<DownsampledSeries> from_columns(int64_t resolution_ms, std::span<const int64_t> timestamps,
                                       std::span<const std::vector<double>> columns);

}  // namespace mc::tiering
