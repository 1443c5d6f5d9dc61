// What every part of one query's evaluation shares: the store, the engine's
// options, the query's limits, and the query's own start and end (what
// "@ start()" and "@ end()" mean at any depth of subqueries), and which tiers
// of the store served its reads (so the answer can warn of window aggregates).
//
// One per query, used by the thread that evaluates it; the tasks of
// series_evaluation.hpp only read it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/query/ast.hpp"
#include "common/query/engine.hpp"
#include "common/query/query_limits.hpp"
#include "common/store/storage.hpp"

namespace mc::query {

class QueryWorkers;

struct EvalContext {
  Storage& storage;
  const EngineOptions& options;
  QueryLimits& limits;
  int64_t query_start_ms = 0;
  int64_t query_end_ms = 0;
  // The tiers that served any read ("raw", "5m", ...), each once, in the
  // order first seen.
  std::vector<std::string> tiers_served;
  // QueryOptions::max_source_resolution_ms: nullopt is auto (by the step).
  std::optional<int64_t> max_source_resolution_ms;
  // Whether a tier served ranges that start or end inside its windows, whose
  // parts it then estimated (tier_hints.hpp): the warning says so.
  bool tier_windows_cut = false;
  // Helpers a long selection's series are shared with (series_evaluation.hpp);
  // null: the evaluating thread alone.
  QueryWorkers* workers = nullptr;

  void note_tiers(const Querier& querier) {
    for (std::string& tier : querier.tiers()) {
      if (std::find(tiers_served.begin(), tiers_served.end(), tier) == tiers_served.end()) {
        tiers_served.push_back(std::move(tier));
      }
    }
  }

  int64_t lookback_ms() const { return options.lookback_delta.count(); }

  // The fixed time an @ modifier pins its selector or subquery to; none
  // without @.
  std::optional<int64_t> at_time(const TimeModifiers& modifiers) const {
    if (modifiers.at_ms) return modifiers.at_ms;
    if (modifiers.at_preprocessor == AtPreprocessor::Start) return query_start_ms;
    if (modifiers.at_preprocessor == AtPreprocessor::End) return query_end_ms;
    return std::nullopt;
  }

  // The time a selector or subquery reads at when evaluated at `t_ms`: its @
  // time or `t_ms`, moved back by its offset (forward for a negative one).
  int64_t reference_time(const TimeModifiers& modifiers, int64_t t_ms) const {
    return at_time(modifiers).value_or(t_ms) - modifiers.offset.count();
  }
};

}  // namespace mc::query
