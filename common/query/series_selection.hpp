// The store's series a selector's matchers pick over [mint, maxt], read
// through Storage::querier.
//
// = and != go to the store as they are. Regex matchers are applied here with
// the parser's RE2 matchers: the store's regex dialect is not RE2's, and a
// series the store's regex missed would be lost without a word.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/query/ast.hpp"
#include "common/query/eval_context.hpp"
#include "common/store/querier.hpp"

namespace mc::query {

struct SelectedSeries {
  std::unique_ptr<Querier> querier;             // keeps the series readable
  std::vector<std::unique_ptr<Series>> series;  // sorted by labels
};

SelectedSeries select_series(EvalContext& ctx, const std::vector<LabelMatcher>& matchers,
                             int64_t mint_ms, int64_t maxt_ms);

// Fails the evaluation (Internal) when a store iterator stopped on an error.
void check_read_status(const Status& status);

}  // namespace mc::query
