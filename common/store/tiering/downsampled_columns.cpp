#include "common/store/tiering/downsampled_columns.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace mc::tiering {

namespace {

enum Column : size_t {
  kCount,
  kSum,
  kMin,
  kMax,
  kCounter,
  kFirstValue,
  kFirstTime,
  kLastValue,
  kLastTime,
  kFirstAge,
  kFirstCounter,
};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The row of the window holding `t`: the first window whose time is not before it.
size_t row_of(const std::vector<AggregateSample>& windows, int64_t t) {
  const auto it = std::lower_bound(windows.begin(), windows.end(), t,
                                   [](const AggregateSample& w, int64_t v) { return w.t_ms < v; });
  return it == windows.end() ? windows.size() - 1 : static_cast<size_t>(it - windows.begin());
}

}  // namespace

size_t downsampled_column_count(std::span<const block::ColumnKind> kinds) {
  for (const size_t count :
       {kDownsampledColumnKinds.size(), kDownsampledColumnsBeforeWindowFirst}) {
    if (kinds.size() == count &&
        std::equal(kinds.begin(), kinds.end(), kDownsampledColumnKinds.begin())) {
      return count;
    }
  }
  return 0;
}

std::array<std::span<const double>, kDownsampledColumnKinds.size()> DownsampledColumns::spans()
    const {
  std::array<std::span<const double>, kDownsampledColumnKinds.size()> out;
  for (size_t i = 0; i < out.size(); ++i) out[i] = columns[i];
  return out;
}

DownsampledColumns to_columns(const DownsampledSeries& series) {
  DownsampledColumns out;
  const size_t rows = series.windows.size();
  out.timestamps.reserve(rows);
  for (auto& column : out.columns) column.assign(rows, kNaN);
  for (size_t i = 0; i < rows; ++i) {
    const AggregateSample& w = series.windows[i];
    out.timestamps.push_back(w.t_ms);
    out.columns[kCount][i] = static_cast<double>(w.count);
    out.columns[kSum][i] = w.sum;
    out.columns[kMin][i] = w.min;
    out.columns[kMax][i] = w.max;
    out.columns[kCounter][i] = w.counter;
    out.columns[kFirstAge][i] = static_cast<double>(w.t_ms - w.first_t_ms);
    out.columns[kFirstCounter][i] = w.first_counter;
  }
  if (rows == 0) return out;
  if (series.first_raw) {
    const size_t row = row_of(series.windows, series.first_raw->t_ms);
    out.columns[kFirstValue][row] = series.first_raw->v;
    out.columns[kFirstTime][row] = static_cast<double>(series.first_raw->t_ms);
  }
  if (series.last_raw) {
    const size_t row = row_of(series.windows, series.last_raw->t_ms);
    out.columns[kLastValue][row] = series.last_raw->v;
    out.columns[kLastTime][row] = static_cast<double>(series.last_raw->t_ms);
  }
  return out;
}

Result<DownsampledSeries> from_columns(int64_t resolution_ms, std::span<const int64_t> timestamps,
                                       std::span<const std::vector<double>> columns) {
  if (columns.size() != kDownsampledColumnKinds.size() &&
      columns.size() != kDownsampledColumnsBeforeWindowFirst) {
    return Status::error(fmt::format("downsampled series: {} columns, want {} (or {})",
                                     columns.size(), kDownsampledColumnKinds.size(),
                                     kDownsampledColumnsBeforeWindowFirst));
  }
  const bool has_window_first = columns.size() == kDownsampledColumnKinds.size();
  for (const auto& column : columns) {
    if (column.size() != timestamps.size()) {
      return Status::error("downsampled series: columns of different lengths");
    }
  }
  DownsampledSeries series;
  series.resolution_ms = resolution_ms;
  series.windows.reserve(timestamps.size());
  auto raw_sample = [&](size_t row, size_t value_column, size_t time_column,
                        std::optional<Sample>& into, const char* what) -> Status {
    const double time = columns[time_column][row];
    if (std::isnan(time)) return Status::ok();
    if (into) return Status::error(fmt::format("downsampled series: {} raw sample twice", what));
    if (time != std::floor(time) || std::fabs(time) > 9.0e15) {
      return Status::error(
          fmt::format("downsampled series: {} raw sample time {} invalid", what, time));
    }
    into = Sample{static_cast<int64_t>(time), columns[value_column][row]};
    return Status::ok();
  };
  for (size_t row = 0; row < timestamps.size(); ++row) {
    const double count = columns[kCount][row];
    if (!(count >= 0) || count != std::floor(count) || count > 9.0e15) {
      return Status::error(fmt::format("downsampled series: row {}: count {} invalid", row, count));
    }
    AggregateSample window{timestamps[row],    static_cast<uint64_t>(count), columns[kSum][row],
                           columns[kMin][row], columns[kMax][row],           columns[kCounter][row],
                           timestamps[row],    columns[kCounter][row]};
    if (has_window_first) {
      const double age = columns[kFirstAge][row];
      if (!(age >= 0) || age != std::floor(age) || age > 9.0e15 ||
          (row > 0 && timestamps[row] - static_cast<int64_t>(age) <= timestamps[row - 1])) {
        return Status::error(
            fmt::format("downsampled series: row {}: first sample age {} invalid", row, age));
      }
      window.first_t_ms = timestamps[row] - static_cast<int64_t>(age);
      window.first_counter = columns[kFirstCounter][row];
    }
    series.windows.push_back(window);
    if (Status s = raw_sample(row, kFirstValue, kFirstTime, series.first_raw, "first"); !s)
      return s;
    if (Status s = raw_sample(row, kLastValue, kLastTime, series.last_raw, "last"); !s) return s;
  }
  return series;
}

}  // namespace mc::tiering
