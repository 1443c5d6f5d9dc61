#include "common/query/range_argument.hpp"

#include <string>

#include "common/util/duration.hpp"

#include "common/query/points_iterator.hpp"
#include "common/query/subquery_evaluation.hpp"

namespace mc::query {
namespace {

const std::vector<LabelMatcher> kNoMatchers;

}  // namespace

RangeArgument::RangeArgument(const Evaluator& ev, const Expr& expr, PinnedWindow pinned,
                             const ReadHints& hints)
    : ev_(ev), pinned_(pinned) {
  if (const auto* selector = expr.as<MatrixSelector>()) {
    open_selector(*selector, hints);
  } else {
    open_subquery(*expr.as<SubqueryExpr>());
  }
}

RangeArgument::~RangeArgument() { ev_.release(subquery_points_); }

void RangeArgument::open_selector(const MatrixSelector& selector, const ReadHints& hints) {
  modifiers_ = &selector.selector.modifiers;
  matchers_ = &selector.selector.matchers;
  range_ms_ = selector.range.count();
  const StepGrid& grid = ev_.grid();
  if (grid.size() == 0) return;
  // rate() over a tier's counter points reads the point either side of each
  // range (rate_functions.cpp): the first and last steps' too.
  const int64_t lead = hints.window_value == WindowValue::Counter ? hints.max_resolution_ms : 0;
  selected_ =
      select_series(ev_.context(), selector.selector.matchers, window_start(grid.start_ms) - lead,
                    window_end(grid.last_ms()) + lead, hints);
  // Tiers are named by their resolution ("5m"); raw is not a duration.
  for (const std::string& tier : selected_.querier->tiers()) {
    const auto resolution = parse_duration(tier);
    if (!resolution || resolution->count() <= 0) continue;
    if (window_resolution_ms_ == 0 || resolution->count() < window_resolution_ms_) {
      window_resolution_ms_ = resolution->count();
    }
  }
  series_.reserve(selected_.series.size());
  for (const auto& series : selected_.series) {
    series_.push_back(WindowedSeries{series->labels(), RangeWindow(series->iterator())});
  }
}

void RangeArgument::open_subquery(const SubqueryExpr& subquery) {
  modifiers_ = &subquery.modifiers;
  range_ms_ = subquery.range.count();
  from_subquery_ = true;
  const StepGrid& grid = ev_.grid();
  if (grid.size() == 0) return;
  subquery_points_ =
      eval_subquery(ev_, subquery, window_end(grid.start_ms), window_end(grid.last_ms()));
  series_.reserve(subquery_points_.size());
  for (const MatrixSeries& series : subquery_points_) {
    series_.push_back(WindowedSeries{series.labels,
                                     RangeWindow(std::make_unique<PointsIterator>(series.points))});
  }
}

int64_t RangeArgument::window_end(int64_t t_ms) const {
  const int64_t end = ev_.context().reference_time(*modifiers_, t_ms);
  if (pinned_ == PinnedWindow::SlidesFromFirstStep && modifiers_->has_at()) {
    return end + (t_ms - ev_.grid().start_ms);
  }
  return end;
}

const std::vector<LabelMatcher>& RangeArgument::matchers() const {
  return matchers_ ? *matchers_ : kNoMatchers;
}

}  // namespace mc::query
