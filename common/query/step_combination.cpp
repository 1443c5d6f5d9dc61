#include "common/query/step_combination.hpp"

#include <limits>
#include <utility>

#include "common/query/eval_failure.hpp"

namespace mc::query {
namespace {

// Walks each argument's series once: points are at step times, in order.
class StepGatherer {
 public:
  explicit StepGatherer(std::span<const Matrix> args) : args_(args), inputs_(args.size()) {
    for (const Matrix& matrix : args) next_point_.emplace_back(matrix.size(), 0);
  }

  std::span<Vector> gather(int64_t t_ms) {
    for (size_t a = 0; a < args_.size(); ++a) {
      Vector& input = inputs_[a];
      size_t count = 0;
      const Matrix& matrix = args_[a];
      for (size_t s = 0; s < matrix.size(); ++s) {
        size_t& next = next_point_[a][s];
        const std::vector<Sample>& points = matrix[s].points;
        while (next < points.size() && points[next].t_ms < t_ms) ++next;
        if (next == points.size() || points[next].t_ms != t_ms) continue;
        // Slots are reused from step to step: assigning labels into the last
        // step's sample reuses its buffer, where a new sample would allocate.
        if (count == input.size()) input.emplace_back();
        VectorSample& sample = input[count++];
        sample.labels = matrix[s].labels;
        sample.t_ms = t_ms;
        sample.v = points[next].v;
      }
      input.resize(count);
    }
    return inputs_;
  }

 private:
  std::span<const Matrix> args_;
  std::vector<Vector> inputs_;
  std::vector<std::vector<size_t>> next_point_;
};

}  // namespace

double scalar_at(const Vector& vector) {
  return vector.empty() ? std::numeric_limits<double>::quiet_NaN() : vector.front().v;
}

uint64_t total_points(const Matrix& matrix) {
  uint64_t points = 0;
  for (const MatrixSeries& series : matrix) points += series.points.size();
  return points;
}

void StepCollector::add(int64_t t_ms, Vector&& result) {
  limits_.take_samples(result.size());
  for (VectorSample& sample : result) {
    auto [it, inserted] = index_.try_emplace(sample.labels, series_.size());
    if (inserted) {
      series_.push_back(MatrixSeries{std::move(sample.labels), {}});
    } else if (series_[it->second].points.back().t_ms == t_ms) {
      fail_evaluation(QueryErrorKind::Execution, kDuplicateLabelsetMessage);
    }
    series_[it->second].points.push_back(Sample{t_ms, sample.v});
  }
}

Matrix combine_steps(EvalContext& ctx, const StepGrid& grid, std::span<const Matrix> args,
                     const StepOperation& operation) {
  StepGatherer gatherer(args);
  StepCollector collector(ctx.limits);
  for (size_t step = 0; step < grid.size(); ++step) {
    ctx.limits.check_deadline();
    const int64_t t = grid.time(step);
    collector.add(t, operation(t, gatherer.gather(t)));
  }
  return collector.take();
}

}  // namespace mc::query
