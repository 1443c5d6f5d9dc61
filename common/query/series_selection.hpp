// The store's series a selector's matchers pick over [mint, maxt], read
// through Storage::querier. The store's matchers compile regexes as the
// parser's do (common/util/anchored_regex.hpp), so a selector means the same
// in both. ReadHints (tier_hints.hpp) let a coarser tier of the store serve;
// the tiers that served are noted in the EvalContext.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/query/ast.hpp"
#include "common/query/eval_context.hpp"
#include "common/store/querier.hpp"
#include "common/store/read_hints.hpp"

namespace mc::query {

struct SelectedSeries {
  std::unique_ptr<Querier> querier;             // keeps the series readable
  std::vector<std::unique_ptr<Series>> series;  // sorted by labels
};

SelectedSeries select_series(EvalContext& ctx, const std::vector<LabelMatcher>& matchers,
                             int64_t mint_ms, int64_t maxt_ms, const ReadHints& hints = {});

// Fails the evaluation (Internal) when a store iterator stopped on an error.
void check_read_status(const Status& status);

}  // namespace mc::query
