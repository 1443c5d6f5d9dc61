#include "common/query/matrix_selection.hpp"

#include "common/query/range_argument.hpp"

namespace mc::query {

Matrix select_matrix(const Evaluator& ev, const Expr& expr) {
  RangeArgument argument(ev, expr);
  Matrix out;
  const StepGrid& grid = ev.grid();
  if (grid.size() == 0) return out;
  // Prometheus's range selector reads at the first step; queries stepping a
  // range vector are refused before evaluation.
  const int64_t t = grid.start_ms;
  for (WindowedSeries& series : argument.series()) {
    ev.context().limits.check_deadline();
    const std::span<const Sample> window =
        series.window.advance(argument.window_start(t), argument.window_end(t));
    check_read_status(series.window.status());
    if (window.empty()) continue;
    ev.context().limits.take_samples(window.size());
    out.push_back(MatrixSeries{series.labels, {window.begin(), window.end()}});
  }
  return out;
}

}  // namespace mc::query
