// The evaluation times of one evaluator: start, start + interval, ... <= end,
// as Prometheus's evaluator steps (an instant query is one step with
// interval 1; a subquery has its own grid). May be empty (start > end), as a
// subquery whose aligned start falls after its end.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mc::query {

struct StepGrid {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  int64_t interval_ms = 1;  // > 0

  size_t size() const {
    if (start_ms > end_ms) return 0;
    return static_cast<size_t>((end_ms - start_ms) / interval_ms) + 1;
  }
  int64_t time(size_t step) const { return start_ms + static_cast<int64_t>(step) * interval_ms; }
  // The step at `t_ms`. REQUIRES: t_ms is one of the grid's times.
  size_t step_at(int64_t t_ms) const {
    return static_cast<size_t>((t_ms - start_ms) / interval_ms);
  }
  int64_t last_ms() const { return time(size() - 1); }
};

}  // namespace mc::query
