#include "common/query/histogram_quantile_evaluation.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "common/query/eval_failure.hpp"
#include "common/query/histogram_quantile.hpp"
#include "common/query/step_combination.hpp"

namespace mc::query {
namespace {

// The value of a scalar argument at each step (NaN where it has none).
std::vector<double> scalar_by_step(const Matrix& scalar, const StepGrid& grid) {
  std::vector<double> values(grid.size(), std::numeric_limits<double>::quiet_NaN());
  if (scalar.empty()) return values;
  const std::vector<Sample>& points = scalar.front().points;
  size_t next = 0;
  for (size_t step = 0; step < grid.size(); ++step) {
    const int64_t t = grid.time(step);
    while (next < points.size() && points[next].t_ms < t) ++next;
    if (next < points.size() && points[next].t_ms == t) values[step] = points[next].v;
  }
  return values;
}

// One histogram's quantile at every step where any of its buckets has a point.
std::vector<Sample> quantiles(const HistogramSeries& histogram, const Matrix& buckets,
                              const std::vector<double>& phi, const Evaluator& ev) {
  const StepGrid& grid = ev.grid();
  std::vector<size_t> next(histogram.members.size(), 0);
  std::vector<HistogramBucket> at_step;
  std::vector<Sample> points;
  for (size_t step = 0; step < grid.size(); ++step) {
    if (step % kStepsBetweenDeadlineChecks == 0) ev.context().limits.check_deadline();
    const int64_t t = grid.time(step);
    at_step.clear();
    for (size_t m = 0; m < histogram.members.size(); ++m) {
      const std::vector<Sample>& member = buckets[histogram.members[m]].points;
      size_t& at = next[m];
      while (at < member.size() && member[at].t_ms < t) ++at;
      if (at < member.size() && member[at].t_ms == t) {
        at_step.push_back(HistogramBucket{histogram.upper_bounds[m], member[at].v});
      }
    }
    if (at_step.empty()) continue;
    points.push_back(Sample{t, bucket_quantile(phi[step], at_step)});
  }
  return points;
}

}  // namespace

Matrix eval_histogram_quantile(const Evaluator& ev, const Call& call) {
  const Matrix phi_matrix = ev.eval(*call.args[0]);
  const std::vector<double> phi = scalar_by_step(phi_matrix, ev.grid());
  ev.release(phi_matrix);
  const Matrix buckets = ev.eval(*call.args[1]);
  std::vector<HistogramSeries> histograms = group_histogram_series(buckets);
  QueryLimits& limits = ev.context().limits;
  Matrix out;
  out.reserve(histograms.size());
  for (HistogramSeries& histogram : histograms) {
    limits.check_deadline();
    std::vector<Sample> points = quantiles(histogram, buckets, phi, ev);
    limits.take_samples(points.size());
    out.push_back(MatrixSeries{std::move(histogram.labels), std::move(points)});
  }
  ev.release(buckets);
  // Histograms that differ only in their metric name have the same output
  // labels: one series where their steps do not meet, the query's failure
  // where they do, as the step-by-step evaluation gives.
  std::vector<size_t> order(out.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return out[a].labels < out[b].labels; });
  bool shared = false;
  for (size_t i = 1; i < order.size(); ++i) {
    shared = shared || out[order[i - 1]].labels == out[order[i]].labels;
  }
  if (!shared) {
    std::erase_if(out, [](const MatrixSeries& series) { return series.points.empty(); });
    return out;
  }
  Matrix merged;
  for (size_t i = 0; i < order.size();) {
    size_t end = i + 1;
    while (end < order.size() && out[order[end]].labels == out[order[i]].labels) ++end;
    MatrixSeries series{std::move(out[order[i]].labels), {}};
    for (size_t j = i; j < end; ++j) {
      const std::vector<Sample>& points = out[order[j]].points;
      series.points.insert(series.points.end(), points.begin(), points.end());
    }
    std::stable_sort(series.points.begin(), series.points.end(),
                     [](const Sample& a, const Sample& b) { return a.t_ms < b.t_ms; });
    for (size_t p = 1; p < series.points.size(); ++p) {
      if (series.points[p].t_ms == series.points[p - 1].t_ms) {
        fail_evaluation(QueryErrorKind::Execution, kDuplicateLabelsetMessage);
      }
    }
    if (!series.points.empty()) merged.push_back(std::move(series));
    i = end;
  }
  return merged;
}

}  // namespace mc::query
