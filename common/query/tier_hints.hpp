// Which tier of the store a selector may read: the ReadHints the engine hands
// Storage::querier, as Thanos's max_source_resolution=auto decides it.
//
// A step much larger than the raw spacing cannot show the raw detail anyway,
// so the coarsest tier of at most a fifth of the step may serve (a 1 h step
// reads the 5m tier, never the 1h one). An instant query (a grid of one step)
// has no step to hide detail in: raw data wherever it exists. A subquery's
// selectors go by the subquery's own grid, as Prometheus's SelectHints.Step.
// A query may name the coarsest resolution itself (max_source_resolution, as
// Thanos's query API): raw data only, or a tier whatever the step.
//
// A range-vector function also needs enough window points: a 1h range over 5m
// windows holds 12 of them, a 10m range only 2, and rate or *_over_time over
// so few window aggregates loses accuracy, so the range must span at least 5
// resolutions. Only functions whose answer a window aggregate carries may read
// a coarser tier, each with the aggregate it needs (rate over the
// reset-adjusted counter, min_over_time over window minima, ...); the rest
// (count_over_time, quantile_over_time, irate, changes, ...) read raw data as
// before. A plain instant-vector selector reads window averages: a gauge at a
// 1 h step shows them, and the reset-adjusted counter is never a value a user
// wrote.
//
// Left to decide (no max_source_resolution), a range function reads a tier
// only where its answer is raw's: where every range the steps ask for starts
// and ends on the tier's window boundaries (aligned_to_ms). A range inside a
// window needs what the tier does not keep (where in the window the counter
// rose: interpolated, 1.2-1.9% off on a jumpy counter in
// tests/unit/query/engine_tiers_test.cpp), so such a query reads raw data
// where it exists. Asked for a tier by max_source_resolution, it gets it.
//
// Asked for a tier (or where only a tier is left), a range that starts or
// ends inside a window gets an estimated part of that window, not the whole
// window or none of it. Thanos (max_source_resolution, its compactor's
// aggregates stamped at each window's end) hands the windows to PromQL as
// samples: a range holds every window whose end it holds, whole, so
// avg_over_time over [t - 1h, t] inside 5m windows reads an hour shifted by
// up to 5 minutes (93% off on a gauge near zero in bench/query/tier_cost.py,
// 2592 s steps), and rate() extrapolates over window points; the
// maintainers keep it so by design (thanos-io/thanos#4526: "you control your
// vector range"; an error for ranges below the resolution, #4608, was not
// merged). Here the store splits each window a range edge cuts
// (common/store/tiering/window_cuts.hpp): counts and sums by the samples each
// side most likely holds, min and max to the larger side, and a counter
// estimated at the edge from the window's first and last counter samples and
// its mean. That is as near as a window's aggregates allow, not raw's answer:
// where increments jump from scrape to scrape the edges stay 1-2% off
// (bench/query/tiers.md), so the response's warnings say that edges were
// interpolated (engine.cpp), and left to decide the engine reads raw data
// for such ranges wherever it is still kept (above).
//
// The window value is passed even when no coarser resolution is allowed: where
// raw data is no longer kept the coarser tier serves anyway, and
// min_over_time should see minima there too.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/query/step_grid.hpp"
#include "common/store/read_hints.hpp"

namespace mc::query {

// The coarsest resolution a read for `grid` accepts: `max_source_resolution_ms`
// when the query names one (0 for raw), else interval / 5, 0 for a grid of one
// step.
int64_t allowed_resolution_ms(const StepGrid& grid,
                              std::optional<int64_t> max_source_resolution_ms = std::nullopt);

// For the range selector (range `range_ms`) read by `function` on `grid`;
// its first step's range ends at `first_range_end_ms` (after offset and @),
// and later steps' move with the steps unless `pinned` (an @ time).
ReadHints range_function_hints(std::string_view function, const StepGrid& grid, int64_t range_ms,
                               std::optional<int64_t> max_source_resolution_ms = std::nullopt,
                               int64_t first_range_end_ms = 0, bool pinned = false);

// Whether a tier of `resolution_ms` cuts windows for a reader with `hints`:
// some range of range_ends_ms starts or ends inside one of its windows.
bool ranges_cut_windows(const ReadHints& hints, int64_t resolution_ms);

// For a plain instant-vector selector evaluated on `grid`.
ReadHints instant_selector_hints(const StepGrid& grid,
                                 std::optional<int64_t> max_source_resolution_ms = std::nullopt);

}  // namespace mc::query
