// The range-vector argument of a function (or the top of an instant query): a
// range selector's stored series, or a subquery's evaluated series, each with
// a window that slides over its points step by step. At a step evaluated at
// t the window is [ref - range, ref] with ref = (@ time or t) - offset.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/query/ast.hpp"
#include "common/query/evaluator.hpp"
#include "common/query/range_window.hpp"
#include "common/query/series_selection.hpp"
#include "common/store/read_hints.hpp"

namespace mc::query {

struct WindowedSeries {
  Labels labels;
  RangeWindow window;
};

// How an @ time pins the window.
enum class PinnedWindow {
  Fixed,  // every step reads the window at the @ time
  // Prometheus 2.42 inside a function that reads the evaluation time
  // (predict_linear): the @ becomes an offset from the evaluator's first
  // step, so the window moves on with the steps from the @ time.
  SlidesFromFirstStep,
};

class RangeArgument {
 public:
  // `expr` (parentheses unwrapped) is a MatrixSelector or a SubqueryExpr.
  // `hints` say which tier a range selector may read (tier_hints.hpp); a
  // subquery evaluates its own selectors.
  RangeArgument(const Evaluator& ev, const Expr& expr, PinnedWindow pinned = PinnedWindow::Fixed,
                const ReadHints& hints = {});
  ~RangeArgument();
  RangeArgument(const RangeArgument&) = delete;
  RangeArgument& operator=(const RangeArgument&) = delete;

  std::vector<WindowedSeries>& series() { return series_; }
  // The window at a step evaluated at `t_ms`.
  int64_t window_end(int64_t t_ms) const;
  int64_t window_start(int64_t t_ms) const { return window_end(t_ms) - range_ms_; }
  bool from_subquery() const { return from_subquery_; }
  // The finest downsampled tier that served the selector (FunctionInput's
  // window_resolution_ms); 0 when only raw data served.
  int64_t window_resolution_ms() const { return window_resolution_ms_; }
  // The selector's matchers (a range selector's; empty for a subquery).
  const std::vector<LabelMatcher>& matchers() const;

 private:
  void open_selector(const MatrixSelector& selector, const ReadHints& hints);
  void open_subquery(const SubqueryExpr& subquery);

  const Evaluator& ev_;
  PinnedWindow pinned_;
  const TimeModifiers* modifiers_ = nullptr;
  const std::vector<LabelMatcher>* matchers_ = nullptr;
  int64_t range_ms_ = 0;
  bool from_subquery_ = false;
  int64_t window_resolution_ms_ = 0;
  SelectedSeries selected_;  // keeps a selector's series readable
  Matrix subquery_points_;   // the subquery's result, counted until released
  std::vector<WindowedSeries> series_;
};

}  // namespace mc::query
