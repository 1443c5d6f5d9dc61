#include "common/query/range_call_evaluation.hpp"

#include <limits>
#include <optional>
#include <vector>

#include "common/query/eval_failure.hpp"
#include "common/query/function_args.hpp"
#include "common/query/function_call.hpp"
#include "common/query/over_time_functions.hpp"
#include "common/query/range_argument.hpp"
#include "common/query/rate_functions.hpp"
#include "common/query/series_evaluation.hpp"
#include "common/query/sliding_counter_resets.hpp"
#include "common/query/sliding_linear_regression.hpp"
#include "common/query/sliding_window_aggregate.hpp"
#include "common/query/step_combination.hpp"
#include "common/query/tier_hints.hpp"

namespace mc::query {
namespace {

// The labels absent_over_time gives its output: the selector's equality
// matchers, except on __name__ and on names matched more than once or
// otherwise (Prometheus's createLabelsForAbsentFunction).
Labels absent_labels(const std::vector<LabelMatcher>& matchers) {
  LabelsBuilder builder;
  std::vector<std::string> dropped;
  for (const LabelMatcher& matcher : matchers) {
    if (matcher.name() == kMetricNameLabel) continue;
    if (matcher.type() == MatchType::Equal && !builder.has(matcher.name())) {
      builder.set(matcher.name(), matcher.value());
    } else {
      dropped.push_back(matcher.name());
    }
  }
  for (const std::string& name : dropped) builder.remove(name);
  return builder.labels();
}

Matrix eval_absent_over_time(const Evaluator& ev, RangeArgument& argument) {
  const StepGrid& grid = ev.grid();
  std::vector<bool> present(grid.size(), false);
  for (WindowedSeries& series : argument.series()) {
    ev.context().limits.check_deadline();
    for (size_t step = 0; step < grid.size(); ++step) {
      if (step % kStepsBetweenDeadlineChecks == 0) ev.context().limits.check_deadline();
      const int64_t t = grid.time(step);
      if (!series.window.advance(argument.window_start(t), argument.window_end(t)).empty()) {
        present[step] = true;
      }
    }
    check_read_status(series.window.status());
  }
  MatrixSeries absent{absent_labels(argument.matchers()), {}};
  for (size_t step = 0; step < grid.size(); ++step) {
    if (!present[step]) absent.points.push_back(Sample{grid.time(step), 1});
  }
  ev.context().limits.take_samples(absent.points.size());
  Matrix out;
  if (!absent.points.empty()) out.push_back(std::move(absent));
  return out;
}

// The non-range arguments at each step: scalars (one value per step) and
// strings.
class OtherArguments {
 public:
  OtherArguments(const Evaluator& ev, const Call& call, size_t range_arg)
      : ev_(ev), call_(call), range_arg_(range_arg), scalars_(call.args.size()) {
    values_.resize(call.args.size());
    for (size_t i = 0; i < call.args.size(); ++i) {
      if (i == range_arg) continue;
      if (expr_type(*call.args[i]) == ValueType::String) {
        values_[i] = StringValue{0, Evaluator::eval_string(*call.args[i])};
      } else {
        scalars_[i] = ev.eval(*call.args[i]);
      }
    }
  }
  ~OtherArguments() {
    for (const Matrix& scalar : scalars_) ev_.release(scalar);
  }
  OtherArguments(const OtherArguments&) = delete;
  OtherArguments& operator=(const OtherArguments&) = delete;

  // A series' own arguments (strings filled in): each series is evaluated
  // with its own, on whichever thread (series_evaluation.hpp).
  std::vector<Value> for_series() const { return values_; }

  // `values` with the arguments at `step`, the range argument's slot left to
  // the caller.
  std::vector<Value>& at(size_t step, int64_t t_ms, std::vector<Value>& values) const {
    for (size_t i = 0; i < call_.args.size(); ++i) {
      if (i == range_arg_ || scalars_[i].empty()) continue;
      values[i] = ScalarValue{t_ms, scalars_[i].front().points[step].v};
    }
    return values;
  }

 private:
  const Evaluator& ev_;
  const Call& call_;
  size_t range_arg_;
  std::vector<Matrix> scalars_;
  std::vector<Value> values_;
};

// avg_over_time where a tier served: the window sums the argument read, over
// the window counts read alike (a raw sample counting one), so that a window
// weighs as many samples as it holds: a window a gap left short, or a raw
// sample after the tier, weighs what it does over raw data.
Matrix eval_tier_average(const Evaluator& ev, const Expr& range_expr, RangeArgument& sums,
                         const ReadHints& hints) {
  // The same reads but counts: windows cut alike, so that sums and counts pair.
  ReadHints count_hints = hints;
  count_hints.window_value = WindowValue::Count;
  RangeArgument counts(ev, range_expr, PinnedWindow::Fixed, count_hints);
  if (counts.series().size() != sums.series().size()) {
    fail_evaluation(QueryErrorKind::Execution, "avg_over_time: the tier changed during the query");
  }
  QueryLimits& limits = ev.context().limits;
  const StepGrid& grid = ev.grid();
  Matrix out;
  for (size_t i = 0; i < sums.series().size(); ++i) {
    WindowedSeries& sum_series = sums.series()[i];
    WindowedSeries& count_series = counts.series()[i];
    if (sum_series.labels != count_series.labels) {
      fail_evaluation(QueryErrorKind::Execution,
                      "avg_over_time: the tier changed during the query");
    }
    limits.check_deadline();
    MatrixSeries result{drop_metric_name(sum_series.labels), {}};
    for (size_t step = 0; step < grid.size(); ++step) {
      if (step % kStepsBetweenDeadlineChecks == 0) limits.check_deadline();
      const int64_t t = grid.time(step);
      const int64_t from = sums.window_start(t);
      const int64_t to = sums.window_end(t);
      const std::span<const Sample> sum_window = sum_series.window.advance(from, to);
      const std::span<const Sample> count_window = count_series.window.advance(from, to);
      if (sum_window.empty()) continue;
      const size_t loaded = sum_window.size() + count_window.size();
      limits.take_samples(loaded);
      double sum = 0;
      double count = 0;
      for (const Sample& point : sum_window) sum += point.v;
      for (const Sample& point : count_window) count += point.v;
      limits.release_samples(loaded);
      limits.take_samples(1);
      result.points.push_back(Sample{t, sum / count});
    }
    check_read_status(sum_series.window.status());
    check_read_status(count_series.window.status());
    if (!result.points.empty()) out.push_back(std::move(result));
  }
  return out;
}

}  // namespace

Matrix eval_range_call(const Evaluator& ev, const Call& call, size_t range_arg) {
  const std::string_view name = call.function->name;
  const FunctionImpl impl = find_function_impl(name);
  const Expr& range_expr = unwrap_parens(*call.args[range_arg]);
  const auto* selector = range_expr.as<MatrixSelector>();
  // The function decides which window aggregate, if any, answers it.
  const ReadHints hints =
      selector
          ? range_function_hints(
                name, ev.grid(), selector->range.count(), ev.context().max_source_resolution_ms,
                ev.context().reference_time(selector->selector.modifiers, ev.grid().start_ms),
                selector->selector.modifiers.has_at())
          : ReadHints{};
  RangeArgument argument(
      ev, range_expr,
      name == "predict_linear" ? PinnedWindow::SlidesFromFirstStep : PinnedWindow::Fixed, hints);
  if (ranges_cut_windows(hints, argument.window_resolution_ms())) {
    ev.context().tier_windows_cut = true;
  }
  if (name == "avg_over_time" && argument.window_resolution_ms() > 0) {
    return eval_tier_average(ev, range_expr, argument, hints);
  }
  if (impl == nullptr) {
    if (name == "absent_over_time") return eval_absent_over_time(ev, argument);
    fail_evaluation(QueryErrorKind::Execution,
                    "function \"" + std::string(name) + "\" is not implemented");
  }
  OtherArguments others(ev, call, range_arg);
  EvalContext& ctx = ev.context();
  const StepGrid& grid = ev.grid();
  const bool keep_name = name == "last_over_time";
  // rate() over a tier's window points interpolates the counter at the
  // range's start from the point before it (rate_functions.cpp).
  const int64_t lead_ms =
      (name == "rate" || name == "increase") ? argument.window_resolution_ms() : 0;
  // Functions whose value follows the sliding window without revisiting it.
  const std::optional<SlidingAggregate> found = sliding_aggregate_for(name);
  const SlidingAggregate kind = found.value_or(SlidingAggregate::Count);
  bool slide = found.has_value() && grid.size() > 0;
  if (slide) {
    const int64_t first_end = argument.window_end(grid.time(0));
    const int64_t advance = grid.size() > 1 ? argument.window_end(grid.time(1)) - first_end : 0;
    slide =
        worth_sliding(kind, first_end - argument.window_start(grid.time(0)), advance, grid.size());
  }
  // rate/increase/delta over raw samples at more than one step: the change
  // over each window follows it as it slides (sliding_counter_resets.hpp);
  // an instant query takes the function, which the tests compare against.
  const bool is_counter = name == "rate" || name == "increase";
  const bool slide_rate =
      (is_counter || name == "delta") && argument.window_resolution_ms() == 0 && grid.size() > 1;
  // deriv/predict_linear over raw samples at more than one step: the
  // regression's sums follow the window (sliding_linear_regression.hpp).
  const bool is_predict = name == "predict_linear";
  const bool slide_regression =
      (is_predict || name == "deriv") && argument.window_resolution_ms() == 0 && grid.size() > 1;
  // An *_over_time function whose only argument is the window, where it does
  // not slide: its value straight from the window, not through arguments
  // and a result built at every step.
  const OverTimeValue direct_value = over_time_value_function(name);
  std::vector<MatrixSeries> outputs(argument.series().size());
  const int64_t span_ms =
      grid.size() == 0 ? 0
                       : argument.window_end(grid.last_ms()) - argument.window_start(grid.start_ms);
  for_each_series(ctx, outputs.size(), span_ms, [&](size_t index, SampleTally& tally) {
    WindowedSeries& series = argument.series()[index];
    ctx.limits.check_deadline();
    MatrixSeries result{keep_name ? series.labels : drop_metric_name(series.labels), {}};
    // The window handed to the function, refilled at each step in place.
    Matrix window_arg(1);
    window_arg[0].labels = series.labels;
    std::vector<Value> series_args = others.for_series();
    std::optional<SlidingWindowAggregate> aggregate;
    if (slide) aggregate.emplace(kind);
    SlidingCounterResets resets;
    SlidingLinearRegression regression;
    for (size_t step = 0; step < grid.size(); ++step) {
      if (step % kStepsBetweenDeadlineChecks == 0) ctx.limits.check_deadline();
      const int64_t t = grid.time(step);
      FunctionInput input{call,
                          t,
                          {},
                          argument.window_start(t),
                          argument.window_end(t),
                          argument.window_resolution_ms()};
      const std::span<const Sample> read =
          series.window.advance(input.range_start_ms - lead_ms, input.range_end_ms + lead_ms);
      size_t in_range = 0;
      while (in_range < read.size() && read[in_range].t_ms < input.range_start_ms) ++in_range;
      if (in_range > 0) input.point_before = read[in_range - 1];
      size_t end = read.size();
      while (end > in_range && read[end - 1].t_ms > input.range_end_ms) --end;
      if (end < read.size()) input.point_after = read[end];
      const std::span<const Sample> window = read.subspan(in_range, end - in_range);
      if (window.empty()) continue;
      tally.take(window.size());
      if (slide_rate) {
        const double change =
            is_counter ? resets.change(window) : window.back().v - window.front().v;
        tally.release(window.size());
        if (window.size() < 2) continue;
        const RateWindow rate_window{window.front(), window.back(), window.size(),
                                     input.range_start_ms, input.range_end_ms};
        tally.take(1);
        result.points.push_back(
            Sample{t, extrapolate_change(rate_window, change, is_counter, name == "rate")});
        continue;
      }
      // predict_linear's seconds: without a scalar, the function reports it.
      const ScalarValue* seconds =
          slide_regression && is_predict
              ? std::get_if<ScalarValue>(&others.at(step, t, series_args)[1])
              : nullptr;
      if (slide_regression && (seconds || !is_predict)) {
        if (const std::optional<SlidingLinearRegression::Line> line = regression.fit(window, t)) {
          const double value = seconds ? line->slope * seconds->v + line->intercept : line->slope;
          tally.release(window.size());
          tally.take(1);
          result.points.push_back(Sample{t, value});
          continue;
        }
      }
      if (aggregate) {
        double phi = 0;
        if (aggregate->kind() == SlidingAggregate::Quantile) {
          const auto* scalar = std::get_if<ScalarValue>(&others.at(step, t, series_args).front());
          phi = scalar ? scalar->v : std::numeric_limits<double>::quiet_NaN();
        }
        if (const std::optional<double> value = aggregate->update(window, phi)) {
          tally.release(window.size());
          tally.take(1);
          result.points.push_back(Sample{t, *value});
          continue;
        }
      }
      if (direct_value != nullptr) {
        const double value = direct_value(window);
        tally.release(window.size());
        tally.take(1);
        result.points.push_back(Sample{t, value});
        continue;
      }
      window_arg[0].points.assign(window.begin(), window.end());
      std::vector<Value>& args = others.at(step, t, series_args);
      args[range_arg] = std::move(window_arg);
      input.args = args;
      Result<Vector> output = impl(input);
      window_arg = std::move(std::get<Matrix>(args[range_arg]));
      tally.release(window.size());
      if (!output) fail_evaluation(QueryErrorKind::Execution, output.error());
      if (output->empty()) continue;
      tally.take(1);
      result.points.push_back(Sample{t, output->front().v});
    }
    check_read_status(series.window.status());
    outputs[index] = std::move(result);
  });
  Matrix out;
  for (MatrixSeries& result : outputs) {
    if (!result.points.empty()) out.push_back(std::move(result));
  }
  check_unique_labelsets(out);
  return out;
}

}  // namespace mc::query
