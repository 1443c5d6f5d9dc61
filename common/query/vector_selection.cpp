#include "common/query/vector_selection.hpp"

#include <functional>
#include <optional>

#include "common/model/sample_value.hpp"
#include "common/query/lookback_cursor.hpp"
#include "common/query/series_evaluation.hpp"
#include "common/query/series_selection.hpp"
#include "common/query/tier_hints.hpp"

namespace mc::query {
namespace {

using PointVisitor = std::function<void(size_t step, const Sample& sample)>;

// Calls `visit` for each step at which `series` has a sample to show.
void visit_series(EvalContext& ctx, const VectorSelector& selector, const StepGrid& grid,
                  const Series& series, const PointVisitor& visit) {
  LookbackCursor cursor(series.iterator());
  for (size_t step = 0; step < grid.size(); ++step) {
    if (step % kStepsBetweenDeadlineChecks == 0) ctx.limits.check_deadline();
    const int64_t reference = ctx.reference_time(selector.modifiers, grid.time(step));
    const std::optional<Sample> sample = cursor.newest(reference - ctx.lookback_ms(), reference);
    if (sample && !is_stale_nan(sample->v)) visit(step, *sample);
  }
  check_read_status(cursor.status());
}

SelectedSeries select_for_grid(EvalContext& ctx, const VectorSelector& selector,
                               const StepGrid& grid, const ReadHints& hints) {
  const int64_t first = ctx.reference_time(selector.modifiers, grid.start_ms);
  const int64_t last = ctx.reference_time(selector.modifiers, grid.last_ms());
  return select_series(ctx, selector.matchers, first - ctx.lookback_ms(), last, hints);
}

}  // namespace

Matrix select_vector(EvalContext& ctx, const VectorSelector& selector, const StepGrid& grid) {
  Matrix matrix;
  if (grid.size() == 0) return matrix;
  const SelectedSeries selected = select_for_grid(
      ctx, selector, grid, instant_selector_hints(grid, ctx.max_source_resolution_ms));
  std::vector<MatrixSeries> outputs(selected.series.size());
  const int64_t span_ms = grid.last_ms() - grid.start_ms + ctx.lookback_ms();
  for_each_series(ctx, outputs.size(), span_ms, [&](size_t i, SampleTally& tally) {
    const Series& series = *selected.series[i];
    ctx.limits.check_deadline();
    MatrixSeries& out = outputs[i];
    visit_series(ctx, selector, grid, series, [&](size_t step, const Sample& sample) {
      out.points.push_back(Sample{grid.time(step), sample.v});
    });
    tally.take(out.points.size());
    if (!out.points.empty()) out.labels = series.labels();
  });
  for (MatrixSeries& out : outputs) {
    if (!out.points.empty()) matrix.push_back(std::move(out));
  }
  return matrix;
}

std::vector<Vector> select_vector_by_step(EvalContext& ctx, const VectorSelector& selector,
                                          const StepGrid& grid) {
  std::vector<Vector> steps(grid.size());
  if (grid.size() == 0) return steps;
  // timestamp() reads the samples' own times, which a window's point only
  // approximates: raw data.
  const SelectedSeries selected = select_for_grid(ctx, selector, grid, ReadHints{});
  for (const auto& series : selected.series) {
    ctx.limits.check_deadline();
    visit_series(ctx, selector, grid, *series, [&](size_t step, const Sample& sample) {
      ctx.limits.take_samples(1);
      steps[step].push_back(VectorSample{series->labels(), sample.t_ms, sample.v});
    });
  }
  return steps;
}

}  // namespace mc::query
